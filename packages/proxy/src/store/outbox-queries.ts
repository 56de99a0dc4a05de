import type { Kysely } from 'kysely';
import { createLeaseQueries } from './leases';
import type { RunPrepared } from './prepared';
import type { Database } from './schema';
import type { OutboxStore } from './store';

/** The payload and outbox half of the Kysely store. */
export function createOutboxQueries(
  db: Kysely<Database>,
  options: { lockClaims: boolean; prepared: RunPrepared },
): OutboxStore {
  const leases = createLeaseQueries(db, 'outbox', options);
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

    claimDeliveries: leases.claim,
    renewDelivery: leases.renew,
    nextDeliveryDueAt: leases.nextDueAt,

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
  };
}
