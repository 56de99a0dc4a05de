import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStoreRateLimiter } from '../http/rate-limit';
import { createStoreTicketStore } from '../http/tickets';
import type { Store } from '../store/store';
import type { StoreFixture } from './store-suite';

const T0 = 1_700_000_000_000;

/** A store fixture with a real second connection to the same database (another instance). */
export interface SharedStoreFixture extends StoreFixture {
  /** A second store on the same database, on its own connection; closed by `dispose`. */
  another(): Promise<Store>;
}

/**
 * What instances sharing one database rely on: atomic claims across stores, one connection
 * per racing connect, shared rate limits and tickets, and the change feed. Register it only
 * for an engine where two stores are two real connections: on one connection the races it
 * names cannot happen.
 */
export function runSharedStoreSuite(
  name: string,
  makeStore: () => Promise<SharedStoreFixture>,
): void {
  describe(`Store shared by instances (${name})`, () => {
    let fixture: SharedStoreFixture;
    let a: Store;
    let b: Store;

    beforeEach(async () => {
      fixture = await makeStore();
      a = fixture.store;
      b = await fixture.another();
      expect(b).not.toBe(a);
    });
    afterEach(() => fixture.dispose());

    const input = (userId: string, loginHash: string, now = T0) => ({
      connectionId: randomUUID(),
      userId,
      loginIdEnc: 'enc',
      loginIdHashes: [loginHash],
      institution: null,
      tag: null,
      retrieval: { id: randomUUID(), deadlineAt: now + 60_000 },
      now,
    });

    it('ends two racing connects of one user and loginId with one connection and one retrieval', async () => {
      const results = await Promise.all([
        a.createConnection(input('u1', 'h1')),
        b.createConnection(input('u1', 'h1')),
        a.createConnection(input('u1', 'h1')),
        b.createConnection(input('u1', 'h1')),
      ]);
      expect(new Set(results.map((r) => r.connection.id)).size).toBe(1);
      expect(new Set(results.map((r) => r.retrieval.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await a.countByStatus()).toEqual({ pending: 1 });
    });

    it('never claims one retrieval for two owners at once', async () => {
      for (let i = 0; i < 120; i++) await a.createConnection(input(`u${i}`, `h${i}`, T0 + i));
      const claimed: string[] = [];
      const claimer = async (store: Store, owner: string) => {
        for (;;) {
          const rows = await store.claimRetrievals(owner, T0 + 1_000, 3, 30_000);
          if (rows.length === 0) return;
          claimed.push(...rows.map((row) => row.id));
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, i) => claimer(i % 2 ? a : b, `w${i}`)));
      expect(new Set(claimed).size).toBe(120);
      expect(claimed).toHaveLength(120);
    });

    it('counts rate-limit attempts in one window shared by every store', async () => {
      const limitA = createStoreRateLimiter(a, { limit: 3, windowMs: 10_000, now: () => now });
      const limitB = createStoreRateLimiter(b, { limit: 3, windowMs: 10_000, now: () => now });
      let now = T0;
      const verdicts = await Promise.all([
        limitA.consume('connections:u1'),
        limitB.consume('connections:u1'),
        limitA.consume('connections:u1'),
        limitB.consume('connections:u1'),
      ]);
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
      now = T0 + 2_500;
      expect(await limitB.consume('connections:u1')).toEqual({
        allowed: false,
        retryAfterSeconds: 8,
      });
      expect((await limitA.consume('connections:u2')).allowed).toBe(true);
      now = T0 + 10_000;
      expect((await limitA.consume('connections:u1')).allowed).toBe(true);
      expect(await a.consumeRateLimit('connections:u1', 10_000, now)).toEqual({
        windowStart: T0 + 10_000,
        count: 2,
      });
    });

    it('redeems a ticket issued by one store once, on any store, for its connection only', async () => {
      let now = T0;
      const issuer = createStoreTicketStore(a, { ttlMs: 60_000, now: () => now });
      const redeemer = createStoreTicketStore(b, { ttlMs: 60_000, now: () => now });
      const first = await issuer.issue('alice', 'conn_1');
      expect(first.expiresAt).toBe(new Date(T0 + 60_000).toISOString());
      expect(await a.takeTicket(first.ticket)).toBeNull(); // only the hash is stored
      const twice = await Promise.all([
        redeemer.redeem(first.ticket, 'conn_1'),
        issuer.redeem(first.ticket, 'conn_1'),
      ]);
      expect(twice.sort()).toEqual(['alice', null].sort());
      const wrong = await issuer.issue('alice', 'conn_1');
      expect(await redeemer.redeem(wrong.ticket, 'conn_2')).toBeNull();
      expect(await redeemer.redeem(wrong.ticket, 'conn_1')).toBeNull();
      const late = await issuer.issue('alice', 'conn_1');
      now = T0 + 60_000;
      expect(await redeemer.redeem(late.ticket, 'conn_1')).toBeNull();
      expect(await redeemer.redeem('', 'conn_1')).toBeNull();
    });

    it('tells listening stores about a published change', async () => {
      expect(a.changes).toBeDefined();
      expect(b.changes).toBeDefined();
      const heard: string[] = [];
      let ready!: () => void;
      const gotIt = new Promise<void>((resolve) => {
        ready = resolve;
      });
      const stop = b.changes!.listen({
        onChange(connectionId, version) {
          heard.push(`${connectionId}:${version}`);
          if (connectionId === 'conn_9') ready();
        },
        onGap() {},
      });
      try {
        // LISTEN is set up asynchronously: publish until it is heard.
        for (let i = 0; heard.length === 0 && i < 100; i++) {
          await a.changes!.publish('conn_0', i);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await a.changes!.publish('conn_9', 7);
        await gotIt;
        expect(heard.at(-1)).toBe('conn_9:7');
      } finally {
        stop();
      }
    });
  });
}

/** Coordination tables on one store (every engine keeps them): expiry sweeps. */
export function runCoordinationStoreSuite(
  name: string,
  makeStore: () => Promise<StoreFixture>,
): void {
  describe(`Store coordination tables (${name})`, () => {
    let fixture: StoreFixture;
    let a: Store;

    beforeEach(async () => {
      fixture = await makeStore();
      a = fixture.store;
    });
    afterEach(() => fixture.dispose());

    it('sweeps expired tickets and stale rate-limit windows', async () => {
      const tickets = createStoreTicketStore(a, { ttlMs: 1_000, now: () => T0 });
      const kept = await tickets.issue('alice', 'conn_1');
      const gone = createStoreTicketStore(a, { ttlMs: 10, now: () => T0 });
      const expired = await gone.issue('alice', 'conn_1');
      await a.consumeRateLimit('old', 1_000, T0);
      await a.consumeRateLimit('new', 1_000, T0 + 500);
      await a.sweepCoordination(T0 + 10, T0 + 500);
      expect(await tickets.redeem(expired.ticket, 'conn_1')).toBeNull();
      expect(await tickets.redeem(kept.ticket, 'conn_1')).toBe('alice');
      expect(await a.consumeRateLimit('old', 1_000, T0 + 600)).toEqual({
        windowStart: T0 + 600,
        count: 1,
      });
      expect((await a.consumeRateLimit('new', 1_000, T0 + 600)).count).toBe(2);
    });
  });
}
