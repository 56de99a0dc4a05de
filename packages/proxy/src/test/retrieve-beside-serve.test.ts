import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionResponse } from '@flinkit/core/wire';
import { startSimulator } from '@flinkit/simulator';
import { describe, expect, it } from 'vitest';
import { loadEnvConfig } from '../cli/env-config';
import { runCli } from '../cli/run';
import { signFlinksWebhook } from '../flinks/webhook-signature';
import { signUserToken } from '../http/auth';
import { startServer } from '../http/server';
import { validEnv } from './env';
import { waitUntil } from './instances';

// `flinkit retrieve` beside a running server on the same SQLite file.

describe('flinkit retrieve beside flinkit serve', () => {
  it('sees the completion the server made (by webhook) and exits 0', async () => {
    // Flinks never finishes by polling here: only the server's webhook can complete it.
    const sim = await startSimulator({ processingMs: 3_600_000 });
    const directory = mkdtempSync(join(tmpdir(), 'flinkit-beside-'));
    const env = validEnv({
      FLINKIT_DATABASE_URL: `sqlite:${join(directory, 'db.sqlite')}`,
      FLINKS_API_URL: sim.apiUrl,
      FLINKS_CONNECT_URL: `${sim.apiUrl}/v2/`,
      FLINKS_CUSTOMER_ID: sim.customerId,
      FLINKS_SECRET_KEY: sim.secretKey,
      FLINKS_API_KEY: sim.apiKey,
      FLINKS_WEBHOOK_SECRET: 'beside-webhook-secret',
      FLINKIT_POLL_INTERVAL_MS: '200',
      FLINKIT_LOG_LEVEL: 'silent',
      PORT: '0',
    });
    const server = await startServer(loadEnvConfig(env));
    const lines: string[] = [];
    let exit: Promise<number> | undefined;
    try {
      const token = signUserToken({
        userId: 'alice',
        secret: env.FLINKIT_USER_TOKEN_SECRET as string,
      });
      const created = await fetch(`${server.url}/v1/connections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ loginId: sim.createLogin('greatday_nomfa') }),
      });
      const { id } = ((await created.json()) as ConnectionResponse).connection;
      const requestId = async () =>
        sim.requests().find((entry) => entry.endpoint === 'Authorize' && entry.status === 200)
          ?.requestId;
      await waitUntil('the Authorize', async () => (await requestId()) !== undefined, 10_000);

      exit = runCli(['retrieve', '--connection', id, '--user', 'alice'], {
        env,
        stdout: (line) => lines.push(line),
        stderr: (line) => lines.push(line),
      });
      await waitUntil('the retrieve to report', () => lines.length > 0, 10_000);

      const body = JSON.stringify({
        ResponseType: 'GetAccountsDetail',
        RequestId: await requestId(),
        Accounts: [],
      });
      const webhook = await fetch(`${server.url}/v1/webhooks/flinks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'flinks-authenticity-key': signFlinksWebhook(body, 'beside-webhook-secret'),
        },
        body,
      });
      expect(webhook.status).toBe(200);
      const outcome = await Promise.race([
        exit,
        new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 10_000)),
      ]);
      expect(outcome).toBe(0);
      expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ status: 'ready' });
    } finally {
      await server.close();
      // Bounded: a retrieve that never sees the completion must not hold the test run.
      if (exit) await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      await sim.close();
      rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);
});
