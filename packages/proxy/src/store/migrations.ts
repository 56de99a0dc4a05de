import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { FlinkitProxyError } from '../base/errors';

// Portable SQL only (SQLite and PostgreSQL): text ids, bigint epoch ms, JSON as text.
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('connections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('institution', 'text')
        .addColumn('tag', 'text')
        .addColumn('login_id_enc', 'text')
        .addColumn('login_id_hash', 'text')
        .addColumn('latest_retrieval_id', 'text', (c) => c.notNull())
        .addColumn('version', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('deleted_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('connections_user_login')
        .on('connections')
        .columns(['user_id', 'login_id_hash'])
        .unique()
        .execute();
      await db.schema
        .createIndex('connections_login')
        .on('connections')
        .column('login_id_hash')
        .execute();

      await db.schema
        .createTable('retrievals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text')
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('reauthorizations', 'integer', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('next_run_at', 'bigint')
        .addColumn('deadline_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('completed_at', 'bigint')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // Only live rows have a next_run_at, so this index stays small however many are done.
      await db.schema
        .createIndex('retrievals_due')
        .on('retrievals')
        .column('next_run_at')
        .where(sql.ref('next_run_at'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('retrievals_request')
        .on('retrievals')
        .column('request_id')
        .execute();
      await db.schema
        .createIndex('retrievals_connection')
        .on('retrievals')
        .column('connection_id')
        .execute();

      await db.schema
        .createTable('payloads')
        .addColumn('retrieval_id', 'text', (c) => c.primaryKey().references('retrievals.id'))
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('data_enc', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('payloads_connection')
        .on('payloads')
        .column('connection_id')
        .execute();
      await db.schema.createIndex('payloads_expiry').on('payloads').column('expires_at').execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('retrieval_id', 'text', (c) => c.notNull())
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('delivered_at', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // Exactly one delivery of each kind per retrieval, whoever completes it.
      await db.schema
        .createIndex('outbox_retrieval_kind')
        .on('outbox')
        .columns(['retrieval_id', 'kind'])
        .unique()
        .execute();
      await db.schema
        .createIndex('outbox_due')
        .on('outbox')
        .column('next_attempt_at')
        .where(sql.ref('next_attempt_at'), 'is not', null)
        .execute();
    },
  },
  // Shared state of several instances on one database: rate-limit windows and SSE tickets.
  '0002_coordination': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('rate_limits_window')
        .on('rate_limits')
        .column('window_start')
        .execute();
      await db.schema
        .createTable('sse_tickets')
        .addColumn('ticket_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('sse_tickets_expiry')
        .on('sse_tickets')
        .column('expires_at')
        .execute();
    },
  },
  // Fidelity to Flinks: the GetAccountsDetail POST is sent once per RequestId (a restart goes on
  // with GetAccountsDetailAsync), a cached Authorize may replay an error (stale data), and the
  // customer's account selection filters every retrieval.
  '0003_fidelity': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('retrievals').addColumn('detail_requested_at', 'bigint').execute();
      await db.schema.alterTable('retrievals').addColumn('last_refresh', 'text').execute();
      await db.schema.alterTable('retrievals').addColumn('stale', 'text').execute();
      await db.schema.alterTable('connections').addColumn('account_ids', 'text').execute();
    },
  },
  // The institution a connection shows is the one Flinks names (Authorize, GetAccountsDetail),
  // not the one the browser's message claimed: it is kept per retrieval, like Login.LastRefresh.
  '0004_institution_from_flinks': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('retrievals').addColumn('institution', 'text').execute();
      // It held the browser's claim, which nothing reads any more.
      await db.schema.alterTable('connections').dropColumn('institution').execute();
    },
  },
};

/**
 * Brings the schema to the latest version (Kysely `Migrator`, migrations kept in code so a
 * bundled build needs no files). Throws `migration_failed` naming the failed migration.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new FlinkitProxyError({
      code: 'migration_failed',
      message: `Database migration "${failed}" failed; check that the database is writable and not newer than this proxy.`,
      recoverable: false,
    });
  }
}
