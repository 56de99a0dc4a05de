import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyring } from '../base/crypto';
import type { NewConnection, Store } from '../store/store';
import { runBatchWriteSuite } from './store-suite-batch';
import { runCoordinationStoreSuite } from './store-suite-shared';

/** A fresh, empty store and how to dispose of it. */
export interface StoreFixture {
  store: Store;
  dispose(): Promise<void>;
}

const T0 = 1_700_000_000_000;
const LEASE = 30_000;

/**
 * The behaviour every {@link Store} engine must have, on one store: `store/sqlite.test.ts` and
 * `store/postgres.test.ts` run it. What several instances rely on is `runSharedStoreSuite`.
 */
export function runStoreSuite(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`Store (${name})`, () => {
    let fixture: StoreFixture;
    let store: Store;
    const k1 = { id: 'k1', key: randomBytes(32) };
    const keyring = createKeyring([k1]);

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(() => fixture.dispose());

    function input(userId: string, loginId: string, now = T0, ring = keyring): NewConnection {
      return {
        connectionId: randomUUID(),
        userId,
        loginIdEnc: ring.encrypt(loginId),
        loginIdHashes: ring.loginIdHashes(loginId),
        tag: null,
        retrieval: { id: randomUUID(), deadlineAt: now + 60_000 },
        now,
      };
    }

    async function finish(retrievalId: string, deliveryId?: string) {
      return store.completeRetrieval({
        retrievalId,
        payloadEnc: 'enc',
        expiresAt: T0 + 1_000,
        now: T0,
        ...(deliveryId ? { deliveryId } : {}),
      });
    }

    it('creates a connection with a pending retrieval due now', async () => {
      const result = await store.createConnection(input('u1', 'login-1'));
      expect(result).toMatchObject({ created: true, started: true });
      expect(result.retrieval).toMatchObject({
        state: 'pending',
        attempt: 0,
        nextRunAt: T0,
        deadlineAt: T0 + 60_000,
      });
      expect(result.connection).toMatchObject({
        userId: 'u1',
        version: 1,
        latestRetrievalId: result.retrieval.id,
      });
      expect(await store.getConnection(result.connection.id)).toEqual({
        connection: result.connection,
        retrieval: result.retrieval,
      });
    });

    it('shares a running retrieval between connects of the same user and loginId', async () => {
      const first = await store.createConnection(input('u1', 'login-1'));
      const again = await store.createConnection(input('u1', 'login-1'));
      expect(again).toMatchObject({ created: false, started: false });
      expect(again.retrieval.id).toBe(first.retrieval.id);
      const otherUser = await store.createConnection(input('u2', 'login-1'));
      expect(otherUser.connection.id).not.toBe(first.connection.id);
      expect((await store.listConnections('u1')).map((s) => s.connection.id)).toEqual([
        first.connection.id,
      ]);
    });

    it('starts a new retrieval on the same connection once the last one is terminal', async () => {
      const first = await store.createConnection(input('u1', 'login-1'));
      expect(
        await store.startRetrieval(
          first.connection.id,
          { id: randomUUID(), deadlineAt: T0 + 1 },
          T0,
        ),
      ).toMatchObject({ started: false });
      await finish(first.retrieval.id);
      const again = await store.createConnection(input('u1', 'login-1', T0 + 5));
      expect(again).toMatchObject({ created: false, started: true });
      expect(again.connection.id).toBe(first.connection.id);
      expect(again.retrieval.id).not.toBe(first.retrieval.id);
      expect(again.connection.version).toBeGreaterThan(first.connection.version);
    });

    it('finds a connection indexed under a rotated-out key and re-indexes it', async () => {
      const rotated = createKeyring([{ id: 'k2', key: randomBytes(32) }, k1]);
      const first = await store.createConnection(input('u1', 'login-1'));
      await finish(first.retrieval.id);
      // The rotated ring tries the hash under k2 first, then under k1 (where the row is indexed).
      const both = input('u1', 'login-1', T0 + 1, rotated);
      expect(both.loginIdHashes).toEqual([
        rotated.hashLoginId('login-1'),
        keyring.hashLoginId('login-1'),
      ]);
      const again = await store.createConnection(both);
      expect(again.connection.id).toBe(first.connection.id);
      const [match] = await store.findConnectionsByLoginHash([rotated.hashLoginId('login-1')]);
      expect(match?.id).toBe(first.connection.id);
      expect(rotated.decrypt(match!.loginIdEnc!)).toBe('login-1');
    });

    it('leases due rows to one owner; another owner takes them over after the lease expires', async () => {
      const a = await store.createConnection(input('u1', 'login-1'));
      const b = await store.createConnection(input('u1', 'login-2', T0 + 10));
      const claimed = await store.claimRetrievals('w1', T0, 10, LEASE);
      expect(claimed.map((row) => row.id)).toEqual([a.retrieval.id]);
      expect(claimed[0]).toMatchObject({ leaseOwner: 'w1', leaseUntil: T0 + LEASE });
      expect(await store.claimRetrievals('w2', T0 + 10, 10, LEASE)).toHaveLength(1);
      expect(await store.claimRetrievals('w2', T0 + LEASE - 1, 10, LEASE)).toHaveLength(0);
      const takeover = await store.claimRetrievals('w2', T0 + LEASE, 10, LEASE);
      expect(takeover.map((row) => [row.id, row.leaseOwner])).toEqual([[a.retrieval.id, 'w2']]);
      expect(await store.renewRetrieval(a.retrieval.id, 'w1', T0 + 99_999)).toBe(false);
      expect(await store.renewRetrieval(a.retrieval.id, 'w2', T0 + 99_999)).toBe(true);
      expect(b.retrieval.id).not.toBe(a.retrieval.id);
    });

    it('claims at most `limit` rows, earliest due first', async () => {
      for (let i = 0; i < 5; i++) await store.createConnection(input('u1', `login-${i}`, T0 + i));
      const first = await store.claimRetrievals('w1', T0 + 100, 3, LEASE);
      const rest = await store.claimRetrievals('w2', T0 + 100, 3, LEASE);
      expect(first).toHaveLength(3);
      expect(rest).toHaveLength(2);
      expect(first.map((row) => row.nextRunAt)).toEqual([T0, T0 + 1, T0 + 2]);
    });

    it('writes a step outcome only for the lease holder, bumping the version and releasing the lease', async () => {
      const { retrieval, connection } = await store.createConnection(input('u1', 'login-1'));
      await store.claimRetrievals('w1', T0, 1, LEASE);
      expect(
        await store.updateRetrieval(retrieval.id, 'w2', { state: 'authorizing' }, T0 + 1),
      ).toBeNull();
      const kept = await store.updateRetrieval(
        retrieval.id,
        'w1',
        { state: 'authorizing' },
        T0 + 1,
        { keepLease: true },
      );
      expect(kept?.retrieval).toMatchObject({ state: 'authorizing', leaseOwner: 'w1' });
      const written = await store.updateRetrieval(
        retrieval.id,
        'w1',
        {
          state: 'processing',
          requestId: 'req-1',
          attempt: 1,
          nextRunAt: T0 + 500,
          lastError: { code: 'x', message: 'y', recoverable: true },
        },
        T0 + 2,
      );
      expect(written?.retrieval).toMatchObject({
        state: 'processing',
        requestId: 'req-1',
        attempt: 1,
        nextRunAt: T0 + 500,
        leaseOwner: null,
        leaseUntil: null,
      });
      expect(JSON.parse(written!.retrieval.lastError!)).toEqual({
        code: 'x',
        message: 'y',
        recoverable: true,
      });
      expect(written?.connection.version).toBe(connection.version + 2);
      expect((await store.findRetrievalByRequestId('req-1'))?.id).toBe(retrieval.id);
      expect(await store.nextRetrievalDueAt()).toBe(T0 + 500);
      expect(await store.claimRetrievals('w1', T0 + 499, 1, LEASE)).toHaveLength(0);
    });

    it('completes a retrieval exactly once, with one payload and one outbox row', async () => {
      const { retrieval } = await store.createConnection(input('u1', 'login-1'));
      const results = await Promise.all([
        finish(retrieval.id, randomUUID()),
        finish(retrieval.id, randomUUID()),
        finish(retrieval.id, randomUUID()),
      ]);
      expect(results.filter((result) => result !== null)).toHaveLength(1);
      expect(await store.claimDeliveries('w1', T0, 10, LEASE)).toHaveLength(1);
      expect(await store.getPayload(retrieval.id)).toMatchObject({
        dataEnc: 'enc',
        expiresAt: T0 + 1_000,
      });
      expect(await store.updateRetrieval(retrieval.id, 'w1', { state: 'failed' }, T0)).toBeNull();
      expect((await store.getRetrieval(retrieval.id))?.state).toBe('ready');
      expect(await store.nextRetrievalDueAt()).toBeNull();
    });

    it('does not complete a failed retrieval', async () => {
      const { retrieval } = await store.createConnection(input('u1', 'login-1'));
      await store.claimRetrievals('w1', T0, 1, LEASE);
      await store.updateRetrieval(retrieval.id, 'w1', { state: 'failed', nextRunAt: null }, T0);
      expect(await finish(retrieval.id, randomUUID())).toBeNull();
      expect(await store.getPayload(retrieval.id)).toBeNull();
    });

    it('sweeps expired payloads and hides them meanwhile', async () => {
      const a = await store.createConnection(input('u1', 'login-1'));
      await finish(a.retrieval.id);
      expect(await store.getLatestPayload(a.connection.id, T0 + 999)).not.toBeNull();
      expect(await store.getLatestPayload(a.connection.id, T0 + 1_000)).toBeNull();
      expect(await store.sweepPayloads(T0 + 999)).toBe(0);
      expect(await store.sweepPayloads(T0 + 1_000)).toBe(1);
      expect(await store.getPayload(a.retrieval.id)).toBeNull();
    });

    it('leases deliveries, retries failed ones later, takes over a dead owner, marks them delivered', async () => {
      const { retrieval } = await store.createConnection(input('u1', 'login-1'));
      await finish(retrieval.id, 'delivery-1');
      const [row] = await store.claimDeliveries('w1', T0, 10, LEASE);
      expect(row).toMatchObject({ id: 'delivery-1', userId: 'u1', attempts: 0 });
      expect(await store.claimDeliveries('w2', T0 + 1, 10, LEASE)).toHaveLength(0);
      await store.failDelivery('delivery-1', 'w1', 'Error', T0 + 5_000);
      expect(await store.nextDeliveryDueAt()).toBe(T0 + 5_000);
      expect(await store.claimDeliveries('w2', T0 + 4_999, 10, LEASE)).toHaveLength(0);
      expect(await store.claimDeliveries('w2', T0 + 5_000, 10, LEASE)).toMatchObject([
        { attempts: 1, leaseOwner: 'w2' },
      ]);
      // w2 dies holding it: w3 takes over after the lease.
      expect(await store.claimDeliveries('w3', T0 + 5_000 + LEASE, 10, LEASE)).toHaveLength(1);
      await store.markDelivered('delivery-1', 'w3', T0 + 40_000);
      expect(await store.claimDeliveries('w4', T0 + 999_999, 10, LEASE)).toHaveLength(0);
      expect(await store.nextDeliveryDueAt()).toBeNull();
    });

    it('forgets the loginId and data of a deleted connection', async () => {
      const done = await store.createConnection(input('u1', 'login-1'));
      await finish(done.retrieval.id, 'delivery-1');
      expect(await store.deleteConnection(done.connection.id, T0 + 1)).toBe(true);
      expect(await store.deleteConnection(done.connection.id, T0 + 1)).toBe(false);
      expect(await store.getConnection(done.connection.id)).toBeNull();
      expect(await store.getPayload(done.retrieval.id)).toBeNull();
      expect(await store.claimDeliveries('w1', T0 + 2, 10, LEASE)).toHaveLength(0);
      expect(await store.findConnectionsByLoginHash(keyring.loginIdHashes('login-1'))).toEqual([]);
      const running = await store.createConnection(input('u1', 'login-2'));
      await store.deleteConnection(running.connection.id, T0 + 3);
      expect(await store.getRetrieval(running.retrieval.id)).toMatchObject({
        state: 'failed',
        nextRunAt: null,
      });
      const fresh = await store.createConnection(input('u1', 'login-1', T0 + 4));
      expect(fresh.created).toBe(true);
    });

    it('counts connections by the status of their latest retrieval', async () => {
      const a = await store.createConnection(input('u1', 'login-1'));
      await store.createConnection(input('u1', 'login-2'));
      await store.createConnection(input('u2', 'login-3'));
      await finish(a.retrieval.id);
      expect(await store.countByStatus()).toEqual({ pending: 2, ready: 1 });
      expect(await store.ping()).toBe(true);
    });
  });
  runCoordinationStoreSuite(name, makeStore);
  runBatchWriteSuite(name, makeStore);
}
