import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStoreSuite } from '../test/store-suite';
import { openSqliteStore, sqlitePathOf } from './sqlite';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'flinkit-store-'));
}

runStoreSuite('SQLite file', async () => {
  const dir = tempDir();
  const store = await openSqliteStore(`sqlite:${join(dir, 'flinkit.db')}`);
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('openSqliteStore', () => {
  it('creates the folder, migrates, and keeps data across reopenings', async () => {
    const dir = tempDir();
    const path = join(dir, 'nested', 'deeper', 'flinkit.db');
    try {
      const first = await openSqliteStore(path);
      const { connection } = await first.createConnection({
        connectionId: 'c1',
        userId: 'u1',
        loginIdEnc: 'enc',
        loginIdHashes: ['h1'],
        tag: null,
        retrieval: { id: 'r1', deadlineAt: 10 },
        now: 1,
      });
      await first.close();
      const second = await openSqliteStore(`sqlite:${path}`);
      expect((await second.getConnection(connection.id))?.retrieval.id).toBe('r1');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads sqlite: URLs and plain paths, and refuses other schemes', async () => {
    expect(sqlitePathOf(undefined)).toBe('./.flinkit/flinkit.db');
    expect(sqlitePathOf('sqlite:/var/data/f.db')).toBe('/var/data/f.db');
    expect(sqlitePathOf('sqlite://rel/f.db')).toBe('rel/f.db');
    expect(sqlitePathOf('data/f.db')).toBe('data/f.db');
    expect(sqlitePathOf('postgres://h/db')).toBeNull();
    await expect(openSqliteStore('postgres://h/db')).rejects.toMatchObject({
      code: 'invalid_config',
    });
  });
});
