import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import { expect } from 'vitest';

/** A simulator, and the variables an embedded proxy reads, pointing at it. */
export async function startFlinks(): Promise<{
  sim: Simulator;
  env: Record<string, string>;
  close(): Promise<void>;
}> {
  const sim = await startSimulator({ processingMs: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'flinkit-docs-'));
  const env = {
    FLINKS_API_URL: sim.apiUrl,
    FLINKS_CONNECT_URL: sim.connectUrl,
    FLINKS_CUSTOMER_ID: sim.customerId,
    FLINKS_SECRET_KEY: sim.secretKey,
    FLINKS_API_KEY: sim.apiKey,
    FLINKS_DEMO: 'true',
    FLINKIT_DATABASE_URL: `sqlite:${join(dir, 'flinkit.db')}`,
    FLINKIT_LOG_LEVEL: 'warn',
    FLINKIT_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  };
  return {
    sim,
    env,
    async close() {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Calls `read` until `done` holds or `timeoutMs` passes; returns the last value. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A proxy mounted at `base`, reached through `call(path, init)`: the whole flow a page runs. */
export async function expectWholeFlow(options: {
  sim: Simulator;
  call: (path: string, init?: RequestInit) => Promise<Response>;
  alice: string;
  bob: string;
  delivered: () => number;
}): Promise<void> {
  const { sim, call, alice, bob } = options;
  const anonymous = await call('/v1/connect/sessions', { method: 'POST' });
  expect(anonymous.status).toBe(401);
  expect((await anonymous.json()).error.code).toBe('unauthorized');

  const session = await call('/v1/connect/sessions', {
    method: 'POST',
    headers: { cookie: alice },
  });
  expect(session.status).toBe(200);
  expect((await session.json()).url.startsWith(sim.connectUrl)).toBe(true);

  const loginId = sim.createLogin('greatday_nomfa');
  const created = await call('/v1/connections', {
    method: 'POST',
    headers: { cookie: alice, 'content-type': 'application/json' },
    body: JSON.stringify({ loginId, institution: 'FlinksCapital' }),
  });
  expect(created.status).toBe(202);
  const { connection } = await created.json();

  const status = await until(
    async () =>
      (
        await (
          await call(`/v1/connections/${connection.id}`, { headers: { cookie: alice } })
        ).json()
      ).connection.status,
    (value) => value === 'ready',
  );
  expect(status).toBe('ready');
  const accounts = await (
    await call(`/v1/connections/${connection.id}/accounts`, { headers: { cookie: alice } })
  ).json();
  expect(accounts.view).toBe('summary');
  expect(accounts.accounts.length).toBeGreaterThan(0);

  // Another signed-in user cannot see it: 404, never 403.
  expect(
    (await call(`/v1/connections/${connection.id}`, { headers: { cookie: bob } })).status,
  ).toBe(404);
  expect(
    await until(
      async () => options.delivered(),
      (count) => count === 1,
    ),
  ).toBe(1);
}
