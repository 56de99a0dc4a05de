import type { Kysely } from 'kysely';
import type { Database } from './kysely-store';
import type { Store } from './store';

type OutboxQueries = Pick<
  Store,
  | 'getLatestPayload'
  | 'getPayload'
  | 'sweepPayloads'
  | 'claimDeliveries'
  | 'renewDelivery'
  | 'markDelivered'
  | 'failDelivery'
  | 'nextDeliveryDueAt'
>;

/** The payload and outbox half of the Kysely store. */
export function createOutboxQueries(db: Kysely<Database>, lockClaims: boolean): OutboxQueries {
  return {
    getLatestPayload: async (connectionId, now) =>
      (await db
        .selectFrom('payloads')
        .selectAll()
        .where('connectionId', '=', connectionId)
        .where('expiresAt', '>', now)
        .orderBy('createdAt', 'desc')
        .limit(1)
        .executeTakeFirst()) ?? null,

    getPayload: async (retrievalId) =>
      (await db
        .selectFrom('payloads')
        .selectAll()
        .where('retrievalId', '=', retrievalId)
        .executeTakeFirst()) ?? null,

    async sweepPayloads(now) {
      const result = await db
        .deleteFrom('payloads')
        .where('expiresAt', '<=', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async claimDeliveries(owner, now, limit, leaseMs) {
      let due = db
        .selectFrom('outbox')
        .select('id')
        .where('nextAttemptAt', '<=', now)
        .where('deliveredAt', 'is', null)
        .where((eb) => eb.or([eb('leaseUntil', 'is', null), eb('leaseUntil', '<=', now)]))
        .orderBy('nextAttemptAt')
        .limit(limit);
      if (lockClaims) due = due.forUpdate().skipLocked();
      return (
        db
          .updateTable('outbox')
          .set({ leaseOwner: owner, leaseUntil: now + leaseMs })
          .where('id', 'in', due)
          // Re-checked on the locked row, so a delivery claimed meanwhile is never claimed twice.
          .where('deliveredAt', 'is', null)
          .where((eb) => eb.or([eb('leaseUntil', 'is', null), eb('leaseUntil', '<=', now)]))
          .returningAll()
          .execute()
      );
    },

    async renewDelivery(id, owner, leaseUntil) {
      const result = await db
        .updateTable('outbox')
        .set({ leaseUntil })
        .where('id', '=', id)
        .where('leaseOwner', '=', owner)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async markDelivered(id, owner, now) {
      await db
        .updateTable('outbox')
        .set((eb) => ({
          deliveredAt: now,
          nextAttemptAt: null,
          leaseOwner: null,
          leaseUntil: null,
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', '=', id)
        .where('leaseOwner', '=', owner)
        .execute();
    },

    async failDelivery(id, owner, error, nextAttemptAt) {
      await db
        .updateTable('outbox')
        .set((eb) => ({
          lastError: error,
          nextAttemptAt,
          leaseOwner: null,
          leaseUntil: null,
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', '=', id)
        .where('leaseOwner', '=', owner)
        .where('deliveredAt', 'is', null)
        .execute();
    },

    async nextDeliveryDueAt() {
      const row = await db
        .selectFrom('outbox')
        .select('nextAttemptAt')
        .where('nextAttemptAt', 'is not', null)
        .where('leaseOwner', 'is', null)
        .orderBy('nextAttemptAt')
        .limit(1)
        .executeTakeFirst();
      return row?.nextAttemptAt ?? null;
    },
  };
}
