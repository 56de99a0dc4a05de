import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, ConnectionResponse } from '@flinkit/core/wire';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFlinkitApp, type FlinkitApp } from '../http/app';
import { signUserToken } from '../http/auth';
import { openStore } from '../store/open-store';
import type { Store } from '../store/store';
import { startTestPostgres, type TestPostgres } from './postgres';

// Cross-user access (IDOR) through the HTTP routes, on the real engine and a real database: the
// 404s come from the engine's and the store's own checks, not from a test double.
const SECRET = 'isolation-user-token-secret-0123456789';
const T_OUT = 60_000;
let pgServer: TestPostgres;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  pgServer = await startTestPostgres();
}, T_OUT);
afterAll(() => pgServer?.stop(), 30_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  sim: Simulator;
  flinkit: FlinkitApp;
  /** A second, independent connection to the same database, to read the rows themselves. */
  store: Store;
  call(user: string, path: string, init?: RequestInit): Promise<Response>;
}

async function setup(databaseUrl: string): Promise<Setup> {
  const sim = await startSimulator({ processingMs: 0 });
  cleanups.push(() => sim.close());
  const flinks = {
    apiUrl: sim.apiUrl,
    customerId: sim.customerId,
    secretKey: sim.secretKey,
    apiKey: sim.apiKey,
  };
  const flinkit = createFlinkitApp({
    flinks,
    connect: { url: sim.connectUrl },
    userTokenSecret: SECRET,
    // The widest exposure: the full payload may be read, and a delete reaches Flinks.
    accountsView: 'full',
    deleteUpstream: true,
    logger: { level: 'silent' },
    engineOptions: {
      flinks,
      databaseUrl,
      encryptionKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
      pollIntervalMs: 50,
    },
  });
  cleanups.push(() => flinkit.close());
  await flinkit.ready;
  const store = await openStore(databaseUrl);
  cleanups.push(() => store.close());
  const call = (user: string, path: string, init: RequestInit = {}) =>
    flinkit.fetch(
      new Request(`http://proxy.test${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${signUserToken({ userId: user, secret: SECRET })}`,
          'content-type': 'application/json',
        },
      }),
    );
  return { sim, flinkit, store, call };
}

/** Links a Toolbox login at `institution` for `user` and waits (on the engine's events) until it is ready. */
async function linkReady(t: Setup, user: string, institution: string): Promise<Connection> {
  const engine = await t.flinkit.ready;
  const response = await t.call(user, '/v1/connections', {
    method: 'POST',
    body: JSON.stringify({ loginId: t.sim.createLogin('greatday_nomfa', { institution }) }),
  });
  expect(response.status).toBe(202);
  const { connection } = (await response.json()) as ConnectionResponse;
  return new Promise<Connection>((resolve) => {
    const done = (current: Connection | null) => {
      if (current?.status !== 'ready') return;
      stop();
      resolve(current);
    };
    const stop = engine.subscribe(connection.id, done);
    void engine.getConnection(user, connection.id).then(done);
  });
}

/** The owner's rows as stored: connection, retrieval and payloads, to compare before/after. */
async function rowsOf(store: Store, connectionId: string) {
  const state = await store.getConnection(connectionId);
  const payload = await store.getLatestPayload(connectionId, Date.now());
  return { ...state, payload };
}

function runMatrix(name: string, databaseUrl: () => Promise<string>) {
  describe(`another user's connection (${name}, real engine)`, () => {
    it(
      'answers every route of the second user with 404 (an empty list) and leaves the owner untouched',
      async () => {
        const t = await setup(await databaseUrl());
        const alices = await linkReady(t, 'alice', 'FlinksCapital');
        // Bob has his own connection, so he holds a valid ticket, for his connection only.
        const bobs = await linkReady(t, 'bob', 'RBC');
        const ticket = (await (
          await t.call('bob', `/v1/connections/${bobs.id}/ticket`, { method: 'POST' })
        ).json()) as { ticket: string };
        expect(ticket.ticket).toEqual(expect.any(String));
        const before = await rowsOf(t.store, alices.id);
        expect(before.connection?.userId).toBe('alice');
        expect(before.payload).not.toBeNull();
        const upstreamBefore = t.sim.requests().length;

        const id = alices.id;
        const attempts: Array<[string, string]> = [
          ['GET', `/v1/connections/${id}`],
          ['GET', `/v1/connections/${id}/events`],
          ['GET', `/v1/connections/${id}/accounts`],
          ['GET', `/v1/connections/${id}/accounts?view=full`],
          ['POST', `/v1/connections/${id}/refresh`],
          ['POST', `/v1/connections/${id}/ticket`],
          ['DELETE', `/v1/connections/${id}`],
        ];
        for (const [method, path] of attempts) {
          const response = await t.call('bob', path, { method });
          expect(response.status, `${method} ${path}`).toBe(404);
          expect(await response.json(), `${method} ${path}`).toEqual({
            error: expect.objectContaining({ code: 'not_found', recoverable: false }),
          });
        }
        // Bob's own ticket does not open Alice's stream.
        const watched = await t.flinkit.fetch(
          new Request(`http://proxy.test/v1/connections/${id}/events?ticket=${ticket.ticket}`),
        );
        expect(watched.status).toBe(401);
        // His list has his connection only.
        const list = (await (await t.call('bob', '/v1/connections')).json()) as {
          connections: Connection[];
        };
        expect(list.connections.map((connection) => connection.id)).toEqual([bobs.id]);

        // Nothing of Alice's changed, in the database or upstream (no Authorize, no DeleteCard).
        expect(await rowsOf(t.store, alices.id)).toEqual(before);
        expect(t.sim.requests().slice(upstreamBefore)).toEqual([]);
        const mine = await t.call('alice', `/v1/connections/${id}`);
        expect(((await mine.json()) as ConnectionResponse).connection).toEqual(alices);
        const accounts = await t.call('alice', `/v1/connections/${id}/accounts`);
        expect(accounts.status).toBe(200);
      },
      T_OUT,
    );

    it(
      "gives the second user his own connection for the first user's loginId",
      async () => {
        const t = await setup(await databaseUrl());
        const loginId = t.sim.createLogin('greatday_nomfa');
        const link = async (user: string) => {
          const response = await t.call(user, '/v1/connections', {
            method: 'POST',
            body: JSON.stringify({ loginId }),
          });
          expect(response.status).toBe(202);
          return ((await response.json()) as ConnectionResponse).connection;
        };
        const alices = await link('alice');
        const bobs = await link('bob');
        expect(bobs.id).not.toBe(alices.id);
        expect(bobs.retrievalId).not.toBe(alices.retrievalId);
        expect((await t.store.getConnection(alices.id))?.connection.userId).toBe('alice');
        expect((await t.store.getConnection(bobs.id))?.connection.userId).toBe('bob');
      },
      T_OUT,
    );
  });
}

runMatrix('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flinkit-isolation-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return `sqlite:${join(dir, 'flinkit.db')}`;
});
runMatrix('PostgreSQL', () => pgServer.createDatabase());
