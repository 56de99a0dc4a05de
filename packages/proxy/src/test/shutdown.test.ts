import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionResponse } from '@flinkit/core/wire';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { signUserToken } from '../http/auth';
import { spawnCli } from './cli-child';
import { validEnv } from './env';
import { waitUntil } from './instances';

// `flinkit serve` stopped with SIGTERM while a load generator and SSE clients keep going.

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const SECRET = 'shutdown-test-user-token-secret-0123456789';

async function serve(sim: Simulator, env: Record<string, string> = {}) {
  const directory = mkdtempSync(join(tmpdir(), 'flinkit-shutdown-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  const run = spawnCli(
    ['serve'],
    validEnv({
      PORT: '0',
      FLINKIT_DATABASE_URL: `sqlite:${join(directory, 'db.sqlite')}`,
      FLINKS_API_URL: sim.apiUrl,
      FLINKS_CONNECT_URL: `${sim.apiUrl}/v2/`,
      FLINKS_CUSTOMER_ID: sim.customerId,
      FLINKS_SECRET_KEY: sim.secretKey,
      FLINKS_API_KEY: sim.apiKey,
      FLINKIT_USER_TOKEN_SECRET: SECRET,
      FLINKIT_SHUTDOWN_TIMEOUT_MS: '5000',
      ...env,
    }),
    children,
  );
  return { run, url: await run.listening() };
}

/** What one request ended with: its status, or the error code of a failed fetch. */
type Outcome = number | string;

const outcomeOf = async (request: Promise<Response>): Promise<Outcome> => {
  try {
    const response = await request;
    await response.arrayBuffer(); // a body cut mid-way rejects here
    return response.status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? String(error);
  }
};

describe('SIGTERM under load', () => {
  it('answers every request in flight, refuses or 503s the rest, tells SSE clients to reconnect, and exits 0 in bounded time', async () => {
    const sim = await startSimulator({ processingMs: 3_600_000 });
    cleanups.push(() => sim.close());
    const { run, url } = await serve(sim);
    const loginId = sim.createLogin('greatday_nomfa');
    const users = Array.from({ length: 24 }, (_, index) => `load-${index}`);
    const headersOf = (userId: string) => ({
      authorization: `Bearer ${signUserToken({ userId, secret: SECRET })}`,
    });
    const ids = await Promise.all(
      users.map(async (userId) => {
        const response = await fetch(`${url}/v1/connections`, {
          method: 'POST',
          headers: { ...headersOf(userId), 'content-type': 'application/json' },
          body: JSON.stringify({ loginId }),
        });
        return ((await response.json()) as ConnectionResponse).connection.id;
      }),
    );

    // SSE clients: each records whether the stream said `event: reconnect` before it ended.
    const streams = ids.slice(0, 6).map(async (id, index) => {
      const response = await fetch(`${url}/v1/connections/${id}/events`, {
        headers: headersOf(users[index] as string),
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return { reconnect: text.includes('event: reconnect'), cut: false };
          text += new TextDecoder().decode(value);
        }
      } catch {
        return { reconnect: text.includes('event: reconnect'), cut: true };
      }
    });

    const outcomes: Outcome[] = [];
    let exitedAt = 0;
    const lanes = users.map(async (userId, index) => {
      const id = ids[index] as string;
      for (;;) {
        const outcome = await outcomeOf(
          fetch(`${url}/v1/connections/${id}`, { headers: headersOf(userId) }),
        );
        outcomes.push(outcome);
        // Past the exit, a refused connection ends the lane.
        if (exitedAt > 0 && outcome === 'ECONNREFUSED') return;
      }
    });
    await waitUntil('some load before the signal', () => outcomes.length >= 300, 20_000);
    const signalledAt = Date.now();
    run.child.kill('SIGTERM');
    const code = await run.exited;
    exitedAt = Date.now();
    await Promise.all(lanes);

    expect(code).toBe(0);
    expect(exitedAt - signalledAt).toBeLessThan(5_000 + 2_000);
    const unexpected = outcomes.filter(
      (outcome) => outcome !== 200 && outcome !== 503 && outcome !== 'ECONNREFUSED',
    );
    expect(unexpected).toEqual([]);
    expect(outcomes.filter((outcome) => outcome === 200).length).toBeGreaterThanOrEqual(300);
    expect(await Promise.all(streams)).toEqual(
      Array.from({ length: 6 }, () => ({ reconnect: true, cut: false })),
    );
  }, 60_000);

  it('exits 0 within the shutdown timeout while a Flinks call hangs', async () => {
    const sim = await startSimulator();
    cleanups.push(() => sim.close());
    // Flinks accepts the connection and never answers (the client waits its 30 s timeout).
    const held: Socket[] = [];
    const flinks = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => flinks.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => {
      for (const socket of held) socket.destroy();
      flinks.close();
    });
    const { run, url } = await serve(sim, {
      FLINKS_API_URL: `http://127.0.0.1:${(flinks.address() as AddressInfo).port}`,
      FLINKIT_SHUTDOWN_TIMEOUT_MS: '2000',
    });
    const created = await fetch(`${url}/v1/connections`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${signUserToken({ userId: 'held', secret: SECRET })}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ loginId: 'held-login' }),
    });
    expect(created.status).toBe(202);
    await waitUntil('the step to hang upstream', () => held.length > 0, 10_000);
    const signalledAt = Date.now();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(2_000 + 2_000);
  }, 60_000);
});
