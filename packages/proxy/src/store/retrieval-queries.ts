import type { Kysely } from 'kysely';
import { bumpVersion } from './connection-queries';
import { createLeaseQueries } from './leases';
import type { RunPrepared } from './prepared';
import type { Database } from './schema';
import {
  type RetrievalPatch,
  type RetrievalRow,
  type RetrievalStore,
  TERMINAL_STATES,
} from './store';
import { createWriteBatch } from './write-batch';

const terminal = TERMINAL_STATES as RetrievalRow['state'][];

/** One step's outcome, as `updateRetrieval` was called with it. */
interface StepWrite {
  id: string;
  owner: string;
  patch: RetrievalPatch;
  now: number;
  keepLease: boolean;
}

/** The retrieval half of the Kysely store: leases, steps' outcomes and the single completion. */
export function createRetrievalQueries(
  db: Kysely<Database>,
  options: { lockClaims: boolean; prepared: RunPrepared },
): RetrievalStore {
  const { prepared } = options;
  const leases = createLeaseQueries(db, 'retrievals', options);
  // Steps finishing in the same turn of the event loop share one transaction.
  const writeStep = createWriteBatch(db, async (trx, step: StepWrite) => {
    const { lastError, stale, ...rest } = step.patch;
    const changes = Object.entries({
      ...rest,
      ...(lastError === undefined
        ? {}
        : { lastError: lastError === null ? null : JSON.stringify(lastError) }),
      ...(stale === undefined ? {} : { stale: stale === null ? null : JSON.stringify(stale) }),
      ...(step.keepLease ? {} : { leaseOwner: null, leaseUntil: null }),
      updatedAt: step.now,
    }).filter(([, value]) => value !== undefined);
    // The columns written fix the statement's text, so they name its prepared shape.
    const shape = `updateRetrieval:${changes.map(([column]) => column).join(',')}`;
    const args = [step.id, step.owner, ...changes.map(([, value]) => value)];
    const [retrieval] = await prepared(trx, shape, args, ([retrievalId, by, ...values]) =>
      trx
        .updateTable('retrievals')
        .set(
          Object.fromEntries(
            changes.map(([column], index) => [column, values[index]]),
          ) as Partial<RetrievalRow>,
        )
        .where('id', '=', retrievalId as string)
        .where('leaseOwner', '=', by as string)
        .where('state', 'not in', terminal)
        .returningAll(),
    );
    if (!retrieval) return null;
    return {
      connection: await bumpVersion(trx, retrieval.connectionId, step.now, prepared),
      retrieval,
    };
  });
  return {
    claimRetrievals: leases.claim,
    renewRetrieval: leases.renew,
    releaseRetrieval: leases.release,
    nextRetrievalDueAt: leases.nextDueAt,

    updateRetrieval: (id, owner, patch, now, update) =>
      writeStep({ id, owner, patch, now, keepLease: update?.keepLease === true }),

    completeRetrieval: (input) =>
      db.transaction().execute(async (trx) => {
        // The conditional update is the single decision point: exactly one caller wins.
        const retrieval = await trx
          .updateTable('retrievals')
          .set({
            state: 'ready',
            completedAt: input.now,
            nextRunAt: null,
            leaseOwner: null,
            leaseUntil: null,
            lastError: null,
            updatedAt: input.now,
            ...(input.attempt === undefined ? {} : { attempt: input.attempt }),
            ...(input.lastRefresh === undefined ? {} : { lastRefresh: input.lastRefresh }),
            ...(input.institution === undefined ? {} : { institution: input.institution }),
          })
          .where('id', '=', input.retrievalId)
          .where('state', 'not in', terminal)
          .returningAll()
          .executeTakeFirst();
        if (!retrieval) return null;
        await trx
          .insertInto('payloads')
          .values({
            retrievalId: retrieval.id,
            connectionId: retrieval.connectionId,
            dataEnc: input.payloadEnc,
            createdAt: input.now,
            expiresAt: input.expiresAt,
          })
          .execute();
        const connection = await bumpVersion(trx, retrieval.connectionId, input.now);
        if (input.deliveryId !== undefined) {
          await trx
            .insertInto('outbox')
            .values({
              id: input.deliveryId,
              kind: 'accounts_detail',
              retrievalId: retrieval.id,
              connectionId: connection.id,
              userId: connection.userId,
              attempts: 0,
              nextAttemptAt: input.now,
              deliveredAt: null,
              lastError: null,
              leaseOwner: null,
              leaseUntil: null,
              createdAt: input.now,
            })
            .execute();
        }
        return { connection, retrieval };
      }),

    findRetrievalByRequestId: async (requestId) =>
      (await db
        .selectFrom('retrievals')
        .selectAll()
        .where('requestId', '=', requestId)
        .orderBy('createdAt', 'desc')
        .executeTakeFirst()) ?? null,

    getRetrieval: async (id) =>
      (await db.selectFrom('retrievals').selectAll().where('id', '=', id).executeTakeFirst()) ??
      null,

    async countByStatus() {
      const rows = await db
        .selectFrom('connections')
        .innerJoin('retrievals', 'retrievals.id', 'connections.latestRetrievalId')
        .select(['retrievals.state', (eb) => eb.fn.countAll<number>().as('count')])
        .where('connections.deletedAt', 'is', null)
        .groupBy('retrievals.state')
        .execute();
      return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
    },
  };
}
