import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { FlinkitProxyError } from '../base/errors';
import { openKyselyStore } from './kysely-store';
import type { Database } from './schema';
import type { ChangeFeed, ChangeHandlers, Store } from './store';

/** The NOTIFY channel of status changes; the payload is `<connectionId>:<version>`. */
export const STATUS_CHANNEL = 'flinkit_status';

const INT8_OID = 20;
const RECONNECT_MS = 500;

/** True for a `postgres://` or `postgresql://` `databaseUrl`. */
export function isPostgresUrl(databaseUrl: string | undefined): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl?.trim() ?? '');
}

/**
 * Opens a PostgreSQL store (pg pool + Kysely `PostgresDialect`), runs the shared migrations
 * and sets up LISTEN/NOTIFY status hints. Claims use `FOR UPDATE SKIP LOCKED`, so several
 * instances can share the database.
 *
 * @example const store = await openPostgresStore('postgres://flinkit:pw@db:5432/flinkit');
 */
export async function openPostgresStore(databaseUrl: string): Promise<Store> {
  const config: pg.ClientConfig = {
    connectionString: databaseUrl.trim(),
    // Epoch-ms columns are bigint: read them as numbers (safe below 2^53), not strings.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID && format !== 'binary'
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  };
  const pool = new pg.Pool({ ...config, max: 10 });
  // A client losing its server must not crash the process: idle ones are reported on the pool,
  // checked-out ones on themselves (their query rejects as well). The pool replaces them.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  try {
    await pool.query('SELECT 1');
  } catch {
    await pool.end().catch(() => undefined);
    throw new FlinkitProxyError({
      code: 'database_unreachable',
      message:
        'Could not connect to the PostgreSQL database of FLINKIT_DATABASE_URL; check the host, port, credentials and that the database exists.',
      recoverable: true,
    });
  }
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
  const listeners = new Set<() => Promise<void>>();
  const changes: ChangeFeed = {
    async publish(connectionId, version) {
      await pool.query('SELECT pg_notify($1, $2)', [STATUS_CHANNEL, `${connectionId}:${version}`]);
    },
    listen(handlers) {
      const stop = listenForChanges(config, handlers);
      listeners.add(stop);
      return () => {
        listeners.delete(stop);
        void stop();
      };
    },
  };
  return openKyselyStore(db, {
    lockClaims: true,
    changes,
    async close() {
      await Promise.all([...listeners].map((stop) => stop()));
      listeners.clear();
      await db.destroy();
    },
  });
}

/**
 * LISTENs on one dedicated connection. When it drops, it reconnects every 500 ms and reports
 * a gap (notifications sent meanwhile are lost; the caller re-reads what it watches).
 */
function listenForChanges(config: pg.ClientConfig, handlers: ChangeHandlers): () => Promise<void> {
  let stopped = false;
  let client: pg.Client | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lostOnce = false;

  const retry = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void connect(), RECONNECT_MS);
    timer.unref();
  };

  async function connect(): Promise<void> {
    if (stopped) return;
    const next = new pg.Client(config);
    next.on('error', () => undefined);
    next.on('notification', (message) => {
      const [connectionId, version] = (message.payload ?? '').split(':');
      const parsed = Number(version);
      if (connectionId && Number.isSafeInteger(parsed)) handlers.onChange(connectionId, parsed);
    });
    next.on('end', () => {
      if (client !== next) return;
      client = null;
      lostOnce = true;
      handlers.onGap();
      retry();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${STATUS_CHANNEL}`);
    } catch {
      await next.end().catch(() => undefined);
      lostOnce = true;
      retry();
      return;
    }
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    if (lostOnce) handlers.onGap();
  }

  void connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const current = client;
    client = null;
    await current?.end().catch(() => undefined);
  };
}
