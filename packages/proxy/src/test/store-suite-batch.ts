import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RetrievalPatch, Store } from '../store/store';
import type { StoreFixture } from './store-suite';

const T0 = 1_700_000_000_000;

/**
 * Step outcomes written in the same turn of the event loop share one transaction: each still
 * applies only under its own lease, and one failing write fails alone.
 */
export function runBatchWriteSuite(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`Store step writes in one turn (${name})`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(() => fixture.dispose());

    async function claimThree() {
      for (const user of ['u1', 'u2', 'u3']) {
        await store.createConnection({
          connectionId: randomUUID(),
          userId: user,
          loginIdEnc: 'enc',
          loginIdHashes: [`hash-${user}`],
          tag: null,
          retrieval: { id: randomUUID(), deadlineAt: T0 + 60_000 },
          now: T0,
        });
      }
      const rows = await store.claimRetrievals('w1', T0, 3, 30_000);
      expect(rows).toHaveLength(3);
      return rows.map((row) => row.id) as [string, string, string];
    }

    const processing: RetrievalPatch = { state: 'processing', attempt: 1, nextRunAt: T0 + 10_000 };

    it('applies each write of a turn under its own lease', async () => {
      const [first, second, third] = await claimThree();
      const written = await Promise.all([
        store.updateRetrieval(first, 'w1', processing, T0 + 1),
        store.updateRetrieval(second, 'w1', processing, T0 + 1),
        // w2 does not hold this lease: its write must not land.
        store.updateRetrieval(third, 'w2', processing, T0 + 1),
      ]);
      expect(written.map((state) => state?.retrieval.state ?? null)).toEqual([
        'processing',
        'processing',
        null,
      ]);
      expect(written[0]?.connection.version).toBe(2);
      expect(await store.getRetrieval(third)).toMatchObject({ state: 'pending', leaseOwner: 'w1' });
    });

    it('fails only the write that fails, not the others of its turn', async () => {
      const [first, second, third] = await claimThree();
      const broken = { state: null } as unknown as RetrievalPatch;
      const settled = await Promise.allSettled([
        store.updateRetrieval(first, 'w1', processing, T0 + 1),
        store.updateRetrieval(second, 'w1', broken, T0 + 1),
        store.updateRetrieval(third, 'w1', processing, T0 + 1),
      ]);
      expect(settled.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect((await store.getRetrieval(first))?.state).toBe('processing');
      expect(await store.getRetrieval(second)).toMatchObject({
        state: 'pending',
        leaseOwner: 'w1',
      });
      expect((await store.getRetrieval(third))?.state).toBe('processing');
    });
  });
}
