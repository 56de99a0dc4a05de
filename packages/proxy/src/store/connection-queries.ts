import type { ErrorInfo } from '@flinkit/core/wire';
import type { Kysely } from 'kysely';
import { JOINED_COLUMNS, splitJoined } from './joined-state';
import type { RunPrepared } from './prepared';
import type { Database, Executor } from './schema';
import {
  type ConnectionRow,
  type ConnectionState,
  type ConnectionStore,
  type NewRetrieval,
  type RetrievalRow,
  type RetrievalStart,
  TERMINAL_STATES,
} from './store';

const terminal = TERMINAL_STATES as RetrievalRow['state'][];

export async function stateOf(
  executor: Executor,
  connection: ConnectionRow,
): Promise<ConnectionState> {
  const retrieval = await executor
    .selectFrom('retrievals')
    .selectAll()
    .where('id', '=', connection.latestRetrievalId)
    .executeTakeFirstOrThrow();
  return { connection, retrieval };
}

async function insertRetrieval(
  executor: Executor,
  connectionId: string,
  retrieval: NewRetrieval,
  now: number,
  // Carried over from the previous retrieval: the data's age and the institution Flinks named
  // are known until Flinks says anew.
  previous: Pick<RetrievalRow, 'lastRefresh' | 'institution'> | null = null,
) {
  await executor
    .insertInto('retrievals')
    .values({
      id: retrieval.id,
      connectionId,
      state: 'pending',
      requestId: null,
      attempt: 0,
      reauthorizations: 0,
      failures: 0,
      nextRunAt: now,
      deadlineAt: retrieval.deadlineAt,
      startedAt: now,
      completedAt: null,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
      detailRequestedAt: null,
      lastRefresh: previous?.lastRefresh ?? null,
      institution: previous?.institution ?? null,
      stale: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
}

/** Starts a retrieval on `connection` unless its latest one still runs. */
async function startOn(
  trx: Executor,
  connection: ConnectionRow,
  retrieval: NewRetrieval,
  now: number,
): Promise<RetrievalStart> {
  const current = await stateOf(trx, connection);
  if (!terminal.includes(current.retrieval.state))
    return { ...current, created: false, started: false };
  await insertRetrieval(trx, connection.id, retrieval, now, current.retrieval);
  const updated = await trx
    .updateTable('connections')
    .set((eb) => ({
      latestRetrievalId: retrieval.id,
      version: eb('version', '+', 1),
      updatedAt: now,
    }))
    .where('id', '=', connection.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...(await stateOf(trx, updated)), created: false, started: true };
}

export async function bumpVersion(
  trx: Executor,
  connectionId: string,
  now: number,
  prepared?: RunPrepared,
): Promise<ConnectionRow> {
  const build = (id: string, at: number) =>
    trx
      .updateTable('connections')
      .set((eb) => ({ version: eb('version', '+', 1), updatedAt: at }))
      .where('id', '=', id)
      .returningAll();
  if (prepared) {
    const [row] = await prepared(trx, 'bumpVersion', [connectionId, now], ([id, at]) =>
      build(id, at),
    );
    if (row) return row;
  }
  // Unprepared, or no such row: the builder throws Kysely's usual NoResultError.
  return build(connectionId, now).executeTakeFirstOrThrow();
}

/** The connection half of the Kysely store. */
export function createConnectionQueries(
  db: Kysely<Database>,
  prepared: RunPrepared,
): ConnectionStore {
  return {
    createConnection: (input) =>
      retryOnUniqueViolation(() =>
        db.transaction().execute(async (trx) => {
          const existing = await trx
            .selectFrom('connections')
            .selectAll()
            .where('userId', '=', input.userId)
            .where('loginIdHash', 'in', [...input.loginIdHashes])
            .where('deletedAt', 'is', null)
            .executeTakeFirst();
          if (existing) {
            const accountIds = accountIdsColumn(input.accountIds);
            if (existing.accountIds !== accountIds) {
              // A new link through Connect: the customer's latest choice of accounts wins.
              await trx
                .updateTable('connections')
                .set({ accountIds })
                .where('id', '=', existing.id)
                .execute();
              existing.accountIds = accountIds;
            }
            if (existing.loginIdHash !== input.loginIdHashes[0]) {
              // Found under a rotated-out key: re-index and re-encrypt under the current one.
              await trx
                .updateTable('connections')
                .set({ loginIdHash: input.loginIdHashes[0] ?? null, loginIdEnc: input.loginIdEnc })
                .where('id', '=', existing.id)
                .execute();
            }
            return startOn(trx, existing, input.retrieval, input.now);
          }
          const connection: ConnectionRow = {
            id: input.connectionId,
            userId: input.userId,
            tag: input.tag,
            accountIds: accountIdsColumn(input.accountIds),
            loginIdEnc: input.loginIdEnc,
            loginIdHash: input.loginIdHashes[0] ?? null,
            latestRetrievalId: input.retrieval.id,
            version: 1,
            createdAt: input.now,
            updatedAt: input.now,
            deletedAt: null,
          };
          await trx.insertInto('connections').values(connection).execute();
          await insertRetrieval(trx, connection.id, input.retrieval, input.now);
          return { ...(await stateOf(trx, connection)), created: true, started: true };
        }),
      ),

    startRetrieval: (connectionId, retrieval, now) =>
      db.transaction().execute(async (trx) => {
        const connection = await trx
          .selectFrom('connections')
          .selectAll()
          .where('id', '=', connectionId)
          .where('deletedAt', 'is', null)
          .executeTakeFirst();
        return connection ? startOn(trx, connection, retrieval, now) : null;
      }),

    async getConnection(connectionId) {
      // Read on every status request and by the engine: one prepared statement, both rows.
      const [row] = await prepared(db, 'getConnection', [connectionId], ([id]) =>
        db
          .selectFrom('connections')
          .innerJoin('retrievals', 'retrievals.id', 'connections.latestRetrievalId')
          .select(JOINED_COLUMNS)
          .where('connections.id', '=', id)
          .where('connections.deletedAt', 'is', null),
      );
      return row ? splitJoined(row as Record<string, unknown>) : null;
    },

    async listConnections(userId) {
      const connections = await db
        .selectFrom('connections')
        .selectAll()
        .where('userId', '=', userId)
        .where('deletedAt', 'is', null)
        .orderBy('createdAt', 'desc')
        .orderBy('id')
        .execute();
      return Promise.all(connections.map((connection) => stateOf(db, connection)));
    },

    findConnectionsByLoginHash: (hashes) =>
      db
        .selectFrom('connections')
        .selectAll()
        .where('loginIdHash', 'in', [...hashes])
        .where('deletedAt', 'is', null)
        .execute(),

    deleteConnection: (connectionId, now) =>
      db.transaction().execute(async (trx) => {
        const deleted = await trx
          .updateTable('connections')
          .set((eb) => ({
            loginIdEnc: null,
            loginIdHash: null,
            deletedAt: now,
            updatedAt: now,
            version: eb('version', '+', 1),
          }))
          .where('id', '=', connectionId)
          .where('deletedAt', 'is', null)
          .executeTakeFirst();
        if (deleted.numUpdatedRows === 0n) return false;
        const error: ErrorInfo = {
          code: 'connection_deleted',
          message: 'The connection was deleted.',
          recoverable: false,
        };
        await trx
          .updateTable('retrievals')
          .set({
            state: 'failed',
            nextRunAt: null,
            leaseOwner: null,
            leaseUntil: null,
            completedAt: now,
            updatedAt: now,
            lastError: JSON.stringify(error),
          })
          .where('connectionId', '=', connectionId)
          .where('state', 'not in', terminal)
          .execute();
        await trx.deleteFrom('payloads').where('connectionId', '=', connectionId).execute();
        await trx
          .updateTable('outbox')
          .set({
            nextAttemptAt: null,
            leaseOwner: null,
            leaseUntil: null,
            lastError: 'connection_deleted',
          })
          .where('connectionId', '=', connectionId)
          .where('deliveredAt', 'is', null)
          .execute();
        return true;
      }),
  };
}

/** The stored form of an account selection: JSON, or null for every account. */
function accountIdsColumn(ids: readonly string[] | null | undefined): string | null {
  return ids && ids.length > 0 ? JSON.stringify(ids) : null;
}

/**
 * Runs `work` again once when it hit a unique index: two processes created the same
 * (user, loginId) connection at once, and the second attempt finds the first one's row.
 */
async function retryOnUniqueViolation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== '23505') throw error;
    return work();
  }
}
