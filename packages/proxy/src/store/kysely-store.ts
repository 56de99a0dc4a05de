import type { Kysely } from 'kysely';
import { bumpVersion, createConnectionQueries } from './connection-queries';
import { createCoordinationQueries } from './coordination-queries';
import { createOutboxQueries } from './outbox-queries';
import { createPreparedQueries } from './prepared';
import {
  type ConnectionRow,
  type OutboxRow,
  type PayloadRow,
  type RateLimitWindow,
  type RetrievalRow,
  type Store,
  TERMINAL_STATES,
  type TicketRow,
} from './store';

/** The tables as Kysely sees them (camelCase through `CamelCasePlugin`). */
export interface Database {
  connections: ConnectionRow;
  retrievals: RetrievalRow;
  payloads: PayloadRow;
  outbox: OutboxRow;
  rateLimits: RateLimitWindow & { key: string };
  sseTickets: TicketRow;
}

/** What differs between database engines; everything else is shared SQL. */
export interface StoreDialect {
  /** Adds `FOR UPDATE SKIP LOCKED` to claim subqueries (PostgreSQL); SQLite serialises writers. */
  lockClaims: boolean;
  /** Cross-instance status hints (PostgreSQL LISTEN/NOTIFY). */
  changes?: Store['changes'];
  /** Closes the pool or file. */
  close(): Promise<void>;
}

/**
 * The {@link Store} on Kysely. A new engine adds a {@link StoreDialect} (and runs
 * `migrateToLatest`), not a rewrite.
 */
export function createKyselyStore(db: Kysely<Database>, dialect: StoreDialect): Store {
  const terminal = TERMINAL_STATES as RetrievalRow['state'][];
  const prepared = createPreparedQueries();
  return {
    ...createConnectionQueries(db, prepared),

    claimRetrievals: (owner, now, limit, leaseMs) =>
      prepared(
        db,
        'claimRetrievals',
        [now, limit, owner, now + leaseMs],
        ([at, max, by, until]) => {
          // One statement, so atomic on its own: concurrent claimers never get the same row.
          let due = db
            .selectFrom('retrievals')
            .select('id')
            .where('nextRunAt', '<=', at)
            .where((eb) => eb.or([eb('leaseUntil', 'is', null), eb('leaseUntil', '<=', at)]))
            .orderBy('nextRunAt')
            .limit(max);
          if (dialect.lockClaims) due = due.forUpdate().skipLocked();
          return (
            db
              .updateTable('retrievals')
              .set({ leaseOwner: by, leaseUntil: until })
              .where('id', 'in', due)
              // Re-checked on the locked row, so a row claimed meanwhile is never claimed twice.
              .where((eb) => eb.or([eb('leaseUntil', 'is', null), eb('leaseUntil', '<=', at)]))
              .where('state', 'not in', terminal)
              .returningAll()
          );
        },
      ),

    async renewRetrieval(id, owner, leaseUntil) {
      const result = await db
        .updateTable('retrievals')
        .set({ leaseUntil })
        .where('id', '=', id)
        .where('leaseOwner', '=', owner)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async releaseRetrieval(id, owner) {
      await db
        .updateTable('retrievals')
        .set({ leaseOwner: null, leaseUntil: null })
        .where('id', '=', id)
        .where('leaseOwner', '=', owner)
        .execute();
    },

    updateRetrieval: (id, owner, patch, now, options) =>
      db.transaction().execute(async (trx) => {
        const { lastError, ...rest } = patch;
        const changes = Object.entries({
          ...rest,
          ...(lastError === undefined
            ? {}
            : { lastError: lastError === null ? null : JSON.stringify(lastError) }),
          ...(options?.keepLease ? {} : { leaseOwner: null, leaseUntil: null }),
          updatedAt: now,
        }).filter(([, value]) => value !== undefined);
        // The columns written fix the statement's text, so they name its prepared shape.
        const shape = `updateRetrieval:${changes.map(([column]) => column).join(',')}`;
        const args = [id, owner, ...changes.map(([, value]) => value)];
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
          connection: await bumpVersion(trx, retrieval.connectionId, now, prepared),
          retrieval,
        };
      }),

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

    async nextRetrievalDueAt() {
      // Rows leased by another worker are found by the scheduler's periodic wake-up instead.
      const [row] = await prepared(db, 'nextRetrievalDueAt', [] as const, () =>
        db
          .selectFrom('retrievals')
          .select('nextRunAt')
          .where('nextRunAt', 'is not', null)
          .where('leaseOwner', 'is', null)
          .orderBy('nextRunAt')
          .limit(1),
      );
      return row?.nextRunAt ?? null;
    },

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

    ...createOutboxQueries(db, dialect.lockClaims),
    ...createCoordinationQueries(db),
    ...(dialect.changes ? { changes: dialect.changes } : {}),

    async ping() {
      try {
        await db.selectFrom('connections').select('id').limit(1).execute();
        return true;
      } catch {
        return false;
      }
    },
    close: () => dialect.close(),
  };
}
