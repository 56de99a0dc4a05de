import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../test/postgres';
import { runStoreSuite } from '../test/store-suite';
import { runSharedStoreSuite, type SharedStoreFixture } from '../test/store-suite-shared';
import { isPostgresUrl, openPostgresStore } from './postgres';
import type { Store } from './store';

// A real PostgreSQL server in another process, on a shared 2-core machine: generous limits.
vi.setConfig({ testTimeout: 30_000 });
let server: TestPostgres;
let url: string;

beforeAll(async () => {
  server = await startTestPostgres();
  url = await server.createDatabase();
}, 60_000);
afterAll(() => server?.stop(), 30_000);

/** A fresh store on the emptied database, and more stores on their own connections to it. */
async function freshStores(): Promise<SharedStoreFixture> {
  await openPostgresStore(url).then((store) => store.close()); // migrated before truncating
  await server.truncate(url);
  const stores: Store[] = [await openPostgresStore(url)];
  return {
    store: stores[0] as Store,
    async another() {
      const store = await openPostgresStore(url);
      stores.push(store);
      return store;
    },
    async dispose() {
      await Promise.all(stores.map((store) => store.close()));
    },
  };
}

runStoreSuite('PostgreSQL', freshStores);
// Two stores here are two connection pools, as two instances would have: the races are real.
runSharedStoreSuite('PostgreSQL', freshStores);

describe('openPostgresStore', () => {
  it('recognises postgres URLs', () => {
    expect(isPostgresUrl('postgres://u:p@h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://h/db')).toBe(true);
    expect(isPostgresUrl('sqlite:./x.db')).toBe(false);
    expect(isPostgresUrl(undefined)).toBe(false);
  });

  it('fails with database_unreachable, without the password, when the server is not there', async () => {
    const error = await openPostgresStore(
      'postgres://postgres:s3cret-pw@127.0.0.1:1/flinkit',
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'database_unreachable', recoverable: true });
    expect(JSON.stringify(error)).not.toContain('s3cret-pw');
    expect(String((error as Error).stack)).not.toContain('s3cret-pw');
  });

  it('re-listens after its LISTEN connection is dropped, reporting the gap', async () => {
    const store = await openPostgresStore(url);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const heard: string[] = [];
    let gaps = 0;
    const stop = store.changes!.listen({
      onChange: (id, version) => void heard.push(`${id}:${version}`),
      onGap: () => {
        gaps += 1;
      },
    });
    const hear = async (id: string) => {
      for (let i = 0; !heard.includes(`${id}:1`); i++) {
        if (i > 200) throw new Error(`never heard ${id}`);
        await store.changes!.publish(id, 1);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    try {
      await hear('before');
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'",
      );
      await hear('after');
      expect(gaps).toBeGreaterThanOrEqual(1);
    } finally {
      stop();
      await admin.end();
      await store.close();
    }
  });

  it('skips rows another claimer holds locked instead of waiting for them', async () => {
    const lockedUrl = await server.createDatabase();
    const store = await openPostgresStore(lockedUrl);
    const other = new pg.Client({ connectionString: lockedUrl });
    await other.connect();
    try {
      for (let i = 0; i < 3; i++) {
        await store.createConnection({
          connectionId: `c${i}`,
          userId: 'u1',
          loginIdEnc: 'enc',
          loginIdHashes: [`h${i}`],
          tag: null,
          retrieval: { id: `r${i}`, deadlineAt: 99_999 },
          now: 10 + i,
        });
      }
      // Another instance is in the middle of claiming r0: its row lock is held.
      await other.query('BEGIN');
      await other.query("SELECT id FROM retrievals WHERE id = 'r0' FOR UPDATE");
      const claimed = await store.claimRetrievals('w1', 100, 10, 30_000);
      expect(claimed.map((row) => row.id)).toEqual(['r1', 'r2']);
      await other.query('ROLLBACK');
    } finally {
      await other.end();
      await store.close();
    }
  });

  it('runs the migrations once when reopened', async () => {
    const first = await openPostgresStore(url);
    const second = await openPostgresStore(url);
    expect(await second.ping()).toBe(true);
    await Promise.all([first.close(), second.close()]);
  });
});
