import { openSqliteStore } from './sqlite';
import type { Store } from './store';

/**
 * Opens the store of a `databaseUrl`: PostgreSQL for `postgres://`/`postgresql://` (loaded only
 * then), SQLite otherwise (the default `./.flinkit/flinkit.db`).
 */
export async function openStore(databaseUrl: string | undefined): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl?.trim() ?? '')) {
    const { openPostgresStore } = await import('./postgres');
    return openPostgresStore(databaseUrl as string);
  }
  return openSqliteStore(databaseUrl);
}
