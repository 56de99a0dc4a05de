import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@flinkit/core/wire';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SILENT_LOGGER } from '../base/logger';
import { openSqliteStore } from '../store/sqlite';
import type { ChangeHandlers, Store } from '../store/store';
import { createStatusFeed } from './status-feed';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real store with a hand-driven change feed, as another instance's NOTIFYs would drive it. */
async function setup() {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const dir = mkdtempSync(join(tmpdir(), 'flinkit-feed-'));
  const real = await openSqliteStore(join(dir, 'flinkit.db'));
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => real.close(),
  );
  const published: string[] = [];
  let handlers: ChangeHandlers | undefined;
  let reads = 0;
  const store: Store = {
    ...real,
    getConnection: (id) => {
      reads += 1;
      return real.getConnection(id);
    },
    changes: {
      publish: async (id, version) => void published.push(`${id}:${version}`),
      listen(given) {
        handlers = given;
        return () => {
          handlers = undefined;
        };
      },
    },
  };
  const feed = createStatusFeed({ store, logger: SILENT_LOGGER, safetyPollMs: 1_000 });
  feed.start();
  cleanups.push(() => feed.stop());
  const { connection, retrieval } = await real.createConnection({
    connectionId: 'c1',
    userId: 'u1',
    loginIdEnc: 'enc',
    loginIdHashes: ['h1'],
    institution: null,
    tag: null,
    retrieval: { id: 'r1', deadlineAt: 10_000 },
    now: 1,
  });
  const seen: Connection[] = [];
  feed.subscribe(connection.id, (c) => seen.push(c));
  /** A step written by "another instance": the row changes, nothing is emitted here. */
  const otherInstanceWrites = async (attempt: number) => {
    await real.claimRetrievals('other', 2 + attempt, 1, 30_000);
    const state = await real.updateRetrieval(
      retrieval.id,
      'other',
      { state: 'processing', attempt, nextRunAt: 0 },
      2 + attempt,
    );
    return state!.connection.version;
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  return {
    feed,
    store: real,
    seen,
    published,
    handlers: () => handlers!,
    reads: () => reads,
    otherInstanceWrites,
    settle,
  };
}

describe('createStatusFeed on a shared store', () => {
  it('re-reads the row on a newer notification and ignores stale ones', async () => {
    const t = await setup();
    const v2 = await t.otherInstanceWrites(1);
    t.handlers().onChange('c1', v2);
    await t.settle();
    expect(t.seen.map((c) => [c.status, c.version, c.attempt])).toEqual([['processing', v2, 1]]);
    const reads = t.reads();
    t.handlers().onChange('c1', v2); // already delivered
    t.handlers().onChange('unwatched', 99);
    await t.settle();
    expect(t.reads()).toBe(reads);
    expect(t.seen).toHaveLength(1);
  });

  it('finds a change whose notification was lost with the safety-net poll, and after a gap', async () => {
    const t = await setup();
    const v2 = await t.otherInstanceWrites(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await t.settle();
    expect(t.seen.map((c) => c.version)).toEqual([v2]);
    const v3 = await t.otherInstanceWrites(2);
    t.handlers().onGap();
    await t.settle();
    expect(t.seen.map((c) => c.version)).toEqual([v2, v3]);
    await vi.advanceTimersByTimeAsync(1_000); // nothing new: nothing sent again
    await t.settle();
    expect(t.seen).toHaveLength(2);
  });

  it('sends local changes to local listeners at once and publishes them to other instances', async () => {
    const t = await setup();
    const version = await t.otherInstanceWrites(1);
    const state = await t.store.getConnection('c1');
    t.feed.changed(state!); // as if this instance had written it
    expect(t.seen.map((c) => c.version)).toEqual([version]);
    await t.settle();
    expect(t.published).toEqual([`c1:${version}`]);
  });
});
