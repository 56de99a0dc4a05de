import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CamelCasePlugin, Kysely, type SqliteDatabase, SqliteDialect } from 'kysely';
import { ConfigError } from '../base/errors';
import { openKyselyStore } from './kysely-store';
import type { Database } from './schema';
import type { ExternalWrites, Store } from './store';

/** The default database file, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = './.flinkit/flinkit.db';

/**
 * The file path of a SQLite `databaseUrl`: `sqlite:/abs/file.db`, `sqlite://relative.db`,
 * `sqlite::memory:`, or a plain path. Null for another scheme (e.g. `postgres://`).
 */
export function sqlitePathOf(databaseUrl: string | undefined): string | null {
  const url = databaseUrl?.trim() || DEFAULT_SQLITE_PATH;
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length);
    return rest.startsWith('//') ? rest.slice(2) : rest;
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? null : url;
}

/**
 * Opens (creating the folder if needed) a SQLite store on better-sqlite3 in WAL mode and runs
 * the migrations.
 *
 * @example const store = await openSqliteStore('sqlite:./.flinkit/flinkit.db');
 */
export async function openSqliteStore(databaseUrl?: string): Promise<Store> {
  const path = sqlitePathOf(databaseUrl);
  if (path === null || path === '') {
    throw new ConfigError(
      'FLINKIT_DATABASE_URL',
      'FLINKIT_DATABASE_URL must be a sqlite: URL, a file path or a postgres:// URL.',
    );
  }
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
    plugins: [new CamelCasePlugin()],
  });
  return openKyselyStore(db, {
    lockClaims: false,
    externalWrites: watchDataVersion(database),
    close: () => db.destroy(),
  });
}

/** How often another process's commits are looked for: 500 ms. */
const DATA_VERSION_POLL_MS = 500;

/**
 * Another process on the same file (`flinkit retrieve` beside `flinkit serve`) commits without
 * this one hearing of it. `PRAGMA data_version` changes exactly when a commit was made by
 * another connection, so polling it is cheap and never fires on this process's own writes.
 */
function watchDataVersion(database: BetterSqlite3.Database): ExternalWrites {
  return {
    listen(onWrite) {
      const read = () => database.pragma('data_version', { simple: true }) as number;
      let last = read();
      const timer = setInterval(() => {
        let version: number;
        try {
          if (!database.open) return;
          version = read();
        } catch {
          return; // a failing database is reported by the queries themselves
        }
        if (version !== last) {
          last = version;
          onWrite();
        }
      }, DATA_VERSION_POLL_MS);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

/**
 * better-sqlite3 compiles a statement on every `prepare`; the engine runs the same few dozen
 * queries thousands of times, so compiled statements are kept (bounded, oldest evicted).
 * Safe because Kysely's SQLite driver runs one statement at a time and never streams here.
 */
function withStatementCache(database: BetterSqlite3.Database, size = 256): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
