import type { Kysely } from 'kysely';
import { createConnectionQueries } from './connection-queries';
import { createCoordinationQueries } from './coordination-queries';
import { createKeyUsageQueries } from './key-usage-queries';
import { migrateToLatest } from './migrations';
import { createOutboxQueries } from './outbox-queries';
import { createPreparedQueries } from './prepared';
import { createRetrievalQueries } from './retrieval-queries';
import type { Database } from './schema';
import type { Store } from './store';

/** What differs between database engines; everything else is shared SQL. */
export interface StoreDialect {
  /** Adds `FOR UPDATE SKIP LOCKED` to claim subqueries (PostgreSQL); SQLite serialises writers. */
  lockClaims: boolean;
  /** Cross-instance status hints (PostgreSQL LISTEN/NOTIFY). */
  changes?: Store['changes'];
  /** Commits by other processes on the same file (SQLite). */
  externalWrites?: Store['externalWrites'];
  /** Closes the pool or file. */
  close(): Promise<void>;
}

/**
 * Brings `db` to the latest schema and builds the {@link Store} on it; on a failed migration it
 * destroys `db` before throwing. Each dialect opens its Kysely instance and calls this.
 */
export async function openKyselyStore(db: Kysely<Database>, dialect: StoreDialect): Promise<Store> {
  try {
    await migrateToLatest(db as unknown as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createKyselyStore(db, dialect);
}

/**
 * The {@link Store} on Kysely. A new engine adds a {@link StoreDialect}, not a rewrite.
 */
export function createKyselyStore(db: Kysely<Database>, dialect: StoreDialect): Store {
  const prepared = createPreparedQueries();
  const options = { lockClaims: dialect.lockClaims, prepared };
  return {
    ...createConnectionQueries(db, prepared),
    ...createRetrievalQueries(db, options),
    ...createOutboxQueries(db, options),
    ...createCoordinationQueries(db),
    ...createKeyUsageQueries(db),
    ...(dialect.changes ? { changes: dialect.changes } : {}),
    ...(dialect.externalWrites ? { externalWrites: dialect.externalWrites } : {}),

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
