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
  const pending = new Set<Promise<unknown>>();
  const store: Store = {
    ...real,
    getConnection: (id) => {
      reads += 1;
      const read = real.getConnection(id);
      pending.add(read);
      void read.finally(() => pending.delete(read));
      return read;
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
    tag: null,
    retrieval: { id: 'r1', deadlineAt: 10_000 },
    now: 1,
  });
  const seen: Connection[] = [];
  const waiters: Array<() => void> = [];
  feed.subscribe(connection.id, (c) => {
    seen.push(c);
    for (const wake of waiters.splice(0)) wake();
  });
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
  /** Resolves once the listener has had `count` events (the test's timeout bounds the wait). */
  const seenCount = async (count: number) => {
    while (seen.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  /** Resolves once every re-read the feed started has finished, and what it sent was sent. */
  const readsDone = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
    await Promise.resolve();
  };
  return {
    feed,
    store: real,
    seen,
    published,
    handlers: () => handlers!,
    reads: () => reads,
    otherInstanceWrites,
    seenCount,
    readsDone,
  };
}

describe('createStatusFeed on a shared store', () => {
  it('re-reads the row on a newer notification and ignores stale ones', async () => {
    const t = await setup();
    const v2 = await t.otherInstanceWrites(1);
    t.handlers().onChange('c1', v2);
    await t.seenCount(1);
    expect(t.seen.map((c) => [c.status, c.version, c.attempt])).toEqual([['processing', v2, 1]]);
    await t.readsDone();
    const reads = t.reads();
    // A re-read starts in the call itself: none started here means none will.
    t.handlers().onChange('c1', v2); // already delivered
    t.handlers().onChange('unwatched', 99);
    expect(t.reads()).toBe(reads);
    await t.readsDone();
    expect(t.seen).toHaveLength(1);
  });

  it('finds a change whose notification was lost with the safety-net poll, and after a gap', async () => {
    const t = await setup();
    const v2 = await t.otherInstanceWrites(1);
    const before = t.reads();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(t.reads()).toBe(before + 1);
    await t.seenCount(1);
    expect(t.seen.map((c) => c.version)).toEqual([v2]);
    const v3 = await t.otherInstanceWrites(2);
    t.handlers().onGap();
    await t.seenCount(2);
    expect(t.seen.map((c) => c.version)).toEqual([v2, v3]);
    await t.readsDone();
    await vi.advanceTimersByTimeAsync(1_000); // nothing new: re-read, and nothing sent again
    expect(t.reads()).toBe(before + 3);
    await t.readsDone();
    expect(t.seen).toHaveLength(2);
  });

  it('sends local changes to local listeners at once and publishes them to other instances', async () => {
    const t = await setup();
    const version = await t.otherInstanceWrites(1);
    const state = await t.store.getConnection('c1');
    t.feed.changed(state!); // as if this instance had written it
    // Both at once, in the call: no re-read, no waiting.
    expect(t.seen.map((c) => c.version)).toEqual([version]);
    expect(t.published).toEqual([`c1:${version}`]);
  });
});
