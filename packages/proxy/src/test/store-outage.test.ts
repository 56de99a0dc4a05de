import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, ConnectionResponse } from '@flinkit/core/wire';
import { startSimulator } from '@flinkit/simulator';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { signUserToken } from '../http/auth';
import { startServer } from '../http/server';
import { openSqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';
import { waitUntil } from './instances';

// SQLite that cannot write for a while (read-only file, full disk), simulated under a real store:
// the SqliteErrors better-sqlite3 raises then, thrown by the write methods during the window.

const WRITES = new Set([
  'createConnection',
  'startRetrieval',
  'deleteConnection',
  'claimRetrievals',
  'renewRetrieval',
  'releaseRetrieval',
  'updateRetrieval',
  'completeRetrieval',
  'sweepPayloads',
  'claimDeliveries',
  'markDelivered',
  'renewDelivery',
  'failDelivery',
  'consumeRateLimit',
  'insertTicket',
  'takeTicket',
  'sweepCoordination',
]);
/** On a full disk, rows that need new pages fail first; updates in place may still fit. */
const INSERTS = new Set(['createConnection', 'startRetrieval', 'completeRetrieval']);

function withFaults(store: Store) {
  const state = { mode: 'ok' as 'ok' | 'readonly' | 'full', claims: 0 };
  const faulty = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        if (key === 'claimRetrievals') state.claims += 1;
        if (state.mode === 'readonly' && WRITES.has(key)) {
          return Promise.reject(
            new BetterSqlite3.SqliteError(
              'attempt to write a readonly database',
              'SQLITE_READONLY',
            ),
          );
        }
        if (state.mode === 'full' && INSERTS.has(key)) {
          return Promise.reject(
            new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL'),
          );
        }
        return (value as (...rest: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { faulty, state };
}

describe('SQLite that cannot write', () => {
  it('answers 503 store_unavailable, backs off, shows no error on connections, and finishes every retrieval once it can write again', async () => {
    const sim = await startSimulator({ processingMs: 1_500 });
    const directory = mkdtempSync(join(tmpdir(), 'flinkit-outage-'));
    const store = await openSqliteStore(`sqlite:${join(directory, 'db.sqlite')}`);
    const { faulty, state } = withFaults(store);
    const delivered = new Map<string, number>();
    const secret = 'store-outage-user-token-secret-0123456789';
    const server = await startServer({
      port: 0,
      userTokenSecret: secret,
      logger: { level: 'silent' },
      flinks: {
        apiUrl: sim.apiUrl,
        customerId: sim.customerId,
        secretKey: sim.secretKey,
        apiKey: sim.apiKey,
      },
      connect: { url: `${sim.apiUrl}/v2/` },
      onAccountsDetail: ({ retrievalId }) => {
        delivered.set(retrievalId, (delivered.get(retrievalId) ?? 0) + 1);
      },
      engineOptions: {
        store: faulty,
        encryptionKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
        pollIntervalMs: 100,
        retryBaseMs: 100,
      },
    });
    const headers = (userId: string) => ({
      authorization: `Bearer ${signUserToken({ userId, secret })}`,
      'content-type': 'application/json',
    });
    const link = (userId: string) =>
      fetch(`${server.url}/v1/connections`, {
        method: 'POST',
        headers: headers(userId),
        body: JSON.stringify({ loginId: sim.createLogin('greatday_nomfa') }),
      });
    const status = async (userId: string, id: string) =>
      (
        (await (
          await fetch(`${server.url}/v1/connections/${id}`, { headers: headers(userId) })
        ).json()) as ConnectionResponse
      ).connection;
    try {
      const users = ['u1', 'u2'];
      const ids: string[] = [];
      for (const userId of users) {
        ids.push(((await (await link(userId)).json()) as ConnectionResponse).connection.id);
      }
      await waitUntil(
        'both processing',
        async () =>
          (await Promise.all(users.map((u, i) => status(u, ids[i] as string)))).every(
            (c) => c.status === 'processing',
          ),
        10_000,
      );

      // A full disk: new rows (a link, a completion) cannot be written.
      state.mode = 'full';
      const refused = await link('u3');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(((await refused.json()) as { error: { code: string } }).error).toEqual({
        code: 'store_unavailable',
        message: expect.any(String),
        recoverable: true,
      });
      const seen: Connection[] = [];
      const watch = setInterval(() => {
        void Promise.all(users.map((u, i) => status(u, ids[i] as string))).then((all) =>
          seen.push(...all),
        );
      }, 200);
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      // A read-only file: nothing can be written; reads still answer.
      state.mode = 'readonly';
      const claimsBefore = state.claims;
      expect((await link('u3')).status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const claimsDuring = state.claims - claimsBefore;
      clearInterval(watch);
      // The store's outage is not the customer's error: no connection shows one meanwhile.
      expect(seen.filter((c) => c.error !== null).map((c) => c.error?.code)).toEqual([]);
      // Doubling pauses (1 s, 2 s, 4 s) rather than a retry every second.
      expect(claimsDuring).toBeLessThanOrEqual(4);

      state.mode = 'ok';
      const third = await link('u3');
      expect(third.status).toBe(202);
      ids.push(((await third.json()) as ConnectionResponse).connection.id);
      users.push('u3');
      await waitUntil(
        'every retrieval ready',
        async () =>
          (await Promise.all(users.map((u, i) => status(u, ids[i] as string)))).every(
            (c) => c.status === 'ready',
          ),
        45_000,
      );
      for (const [index, userId] of users.entries()) {
        const accounts = await fetch(`${server.url}/v1/connections/${ids[index]}/accounts`, {
          headers: headers(userId),
        });
        expect(accounts.status).toBe(200);
      }
      await waitUntil('every delivery', () => delivered.size === 3, 10_000);
      expect([...delivered.values()]).toEqual([1, 1, 1]);
    } finally {
      await server.close();
      await store.close();
      await sim.close();
      rmSync(directory, { recursive: true, force: true });
    }
  }, 90_000);
});
