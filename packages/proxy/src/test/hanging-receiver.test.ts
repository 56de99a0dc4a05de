import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@flinkit/simulator';
import { describe, expect, it } from 'vitest';
import { signUserToken } from '../http/auth';
import { type ServerConfig, startServer } from '../http/server';
import { waitUntil } from './instances';

// A forward-webhook receiver that accepts a delivery and never answers it.

describe('a hanging forward receiver', () => {
  it('blocks neither the other deliveries nor the shutdown, and its delivery is retried', async () => {
    const sim = await startSimulator({ processingMs: 100 });
    const directory = mkdtempSync(join(tmpdir(), 'flinkit-hanging-'));
    let hangNext = true;
    const held: ServerResponse[] = [];
    const received: string[] = [];
    let hungId: string | undefined;
    const receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const id = String(request.headers['webhook-id']);
        if (hangNext) {
          hangNext = false;
          hungId = id;
          held.push(response); // accepted, never answered
          return;
        }
        received.push(id);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    const port = (receiver.address() as { port: number }).port;
    const secret = 'hanging-receiver-user-token-secret-012345';
    const flinks = {
      apiUrl: sim.apiUrl,
      customerId: sim.customerId,
      secretKey: sim.secretKey,
      apiKey: sim.apiKey,
    };
    const config: ServerConfig = {
      port: 0,
      userTokenSecret: secret,
      logger: { level: 'silent' },
      flinks,
      connect: { url: `${sim.apiUrl}/v2/` },
      forward: {
        url: `http://127.0.0.1:${port}/hooks`,
        secret: `whsec_${randomBytes(24).toString('base64')}`,
      },
      engineOptions: {
        databaseUrl: `sqlite:${join(directory, 'db.sqlite')}`,
        encryptionKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
        pollIntervalMs: 100,
        deliveryRetryBaseMs: 200,
      },
    };
    try {
      const first = await startServer(config);
      for (const userId of ['a', 'b', 'c']) {
        await fetch(`${first.url}/v1/connections`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${signUserToken({ userId, secret })}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ loginId: sim.createLogin('greatday_nomfa') }),
        });
      }
      await waitUntil('one delivery held', () => hungId !== undefined, 15_000);
      await waitUntil('the two others delivered', () => received.length === 2, 15_000);
      expect(received).not.toContain(hungId);

      const stopping = Date.now();
      await first.close();
      expect(Date.now() - stopping).toBeLessThan(2_000);

      // After a restart, the held delivery is tried again, with the same id.
      const second = await startServer(config);
      try {
        await waitUntil(
          'the held delivery retried',
          () => received.includes(hungId as string),
          15_000,
        );
      } finally {
        await second.close();
      }
    } finally {
      for (const response of held) response.destroy();
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await sim.close();
      rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);
});
