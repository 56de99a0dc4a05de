import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorkerLoop } from './worker-loop';

interface Item {
  id: number;
  dueAt: number;
}

/** An in-memory queue of due items and a loop over it, under fake timers. */
function harness(
  concurrency = 2,
  extra: { batchMs?: number; dueAgainAt?: (item: Item) => number } = {},
) {
  const queue: Item[] = [];
  const ran: number[] = [];
  const running = new Set<number>();
  let maxRunning = 0;
  let claims = 0;
  let nextDueReads = 0;
  const gates = new Map<number, () => void>();
  const loop = createWorkerLoop<Item>({
    concurrency,
    maxIdleMs: 60_000,
    ...(extra.batchMs === undefined ? {} : { batchMs: extra.batchMs }),
    now: () => Date.now(),
    onError: (error) => {
      throw error;
    },
    async claim(limit) {
      claims++;
      const due = queue.filter((item) => item.dueAt <= Date.now()).slice(0, limit);
      for (const item of due) queue.splice(queue.indexOf(item), 1);
      return due;
    },
    async run(item) {
      running.add(item.id);
      maxRunning = Math.max(maxRunning, running.size);
      await new Promise<void>((resolve) => gates.set(item.id, resolve));
      running.delete(item.id);
      ran.push(item.id);
      if (!extra.dueAgainAt) return undefined;
      // The item comes back, due later, as a step's write puts a retrieval back.
      const again = { id: item.id, dueAt: extra.dueAgainAt(item) };
      queue.push(again);
      return again.dueAt;
    },
    async nextDueAt() {
      nextDueReads++;
      return queue.length === 0 ? null : Math.min(...queue.map((item) => item.dueAt));
    },
  });
  return {
    loop,
    queue,
    ran,
    finish: (id: number) => gates.get(id)?.(),
    claims: () => claims,
    nextDueReads: () => nextDueReads,
    running,
    maxRunning: () => maxRunning,
  };
}

describe('createWorkerLoop', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sleeps until the earliest due item instead of polling', async () => {
    const h = harness();
    h.queue.push({ id: 1, dueAt: 10_000 }, { id: 2, dueAt: 30_000 });
    h.loop.start();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(h.claims()).toBe(1); // one look at start, then one timer
    await vi.advanceTimersByTimeAsync(1);
    h.finish(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.ran).toEqual([1]);
    const claimsBefore = h.claims();
    await vi.advanceTimersByTimeAsync(19_999);
    expect(h.claims()).toBe(claimsBefore);
    await vi.advanceTimersByTimeAsync(1);
    h.finish(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.ran).toEqual([1, 2]);
    await h.loop.stop();
  });

  it('picks up new work at once on wake()', async () => {
    const h = harness();
    h.loop.start();
    await vi.advanceTimersByTimeAsync(1_000);
    h.queue.push({ id: 7, dueAt: 0 });
    h.loop.wake();
    await vi.advanceTimersByTimeAsync(0);
    h.finish(7);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.ran).toEqual([7]);
    await h.loop.stop();
  });

  it('never runs more than `concurrency` items at once, and refills as they finish', async () => {
    const h = harness(2);
    for (let id = 1; id <= 5; id++) h.queue.push({ id, dueAt: 0 });
    h.loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.queue).toHaveLength(3);
    h.finish(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.queue).toHaveLength(2);
    for (const id of [2, 3, 4, 5]) {
      h.finish(id);
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(h.ran.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(h.maxRunning()).toBe(2);
    await h.loop.stop();
  });

  it('stop() waits for the item in flight and claims nothing more', async () => {
    const h = harness();
    h.queue.push({ id: 1, dueAt: 0 }, { id: 2, dueAt: 5_000 });
    h.loop.start();
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = h.loop.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    h.finish(1);
    await stopping;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.ran).toEqual([1]);
    expect(h.queue.map((item) => item.id)).toEqual([2]);
  });

  it('pauses claims while the store is out, 1 s doubling per failed try, not once per failed step', async () => {
    const outage = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    let failing = true;
    const claimedAt: number[] = [];
    const loop = createWorkerLoop<number>({
      concurrency: 8,
      maxIdleMs: 60_000,
      now: () => Date.now(),
      onError: () => undefined,
      isOutage: (error) => error === outage,
      async claim() {
        claimedAt.push(Date.now());
        if (failing && claimedAt.length > 1) throw outage;
        return claimedAt.length === 1 ? [1, 2, 3, 4, 5, 6, 7, 8] : [];
      },
      async run() {
        if (failing) throw outage;
      },
      nextDueAt: async () => Date.now() + 60_000,
    });
    loop.start();
    // Eight steps fail together: one pause of 1 s, then claims fail at 1 s, 3 s and 7 s.
    await vi.advanceTimersByTimeAsync(7_500);
    expect(claimedAt).toEqual([0, 1_000, 3_000, 7_000]);
    failing = false;
    await vi.advanceTimersByTimeAsync(8_000);
    expect(claimedAt.at(-1)).toBe(15_000);
    await loop.stop();
  });

  it('claims once for all the items that finish in the same turn', async () => {
    const h = harness(4);
    for (let id = 1; id <= 8; id++) h.queue.push({ id, dueAt: 0 });
    h.loop.start();
    await vi.advanceTimersByTimeAsync(0);
    const claimsBefore = h.claims();
    for (const id of [1, 2, 3, 4]) h.finish(id);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.claims()).toBe(claimsBefore + 1);
    expect([...h.running].sort()).toEqual([5, 6, 7, 8]);
    for (const id of [5, 6, 7, 8]) h.finish(id);
    await h.loop.stop();
  });

  it('moves its timer to the due time an item reports, without reading the store', async () => {
    const h = harness(4, { dueAgainAt: () => Date.now() + 1_000 });
    h.queue.push({ id: 1, dueAt: 0 });
    h.loop.start();
    await vi.advanceTimersByTimeAsync(0);
    const reads = h.nextDueReads();
    h.finish(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.nextDueReads()).toBe(reads);
    await vi.advanceTimersByTimeAsync(999);
    expect(h.running.has(1)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.running.has(1)).toBe(true);
    h.finish(1);
    await h.loop.stop();
  });

  it('gathers items that come due within batchMs into one claim, none before its time', async () => {
    const h = harness(10, { batchMs: 20 });
    h.queue.push({ id: 1, dueAt: 5 }, { id: 2, dueAt: 10 }, { id: 3, dueAt: 15 });
    h.loop.start();
    await vi.advanceTimersByTimeAsync(19);
    expect(h.running.size).toBe(0);
    const claimsBefore = h.claims();
    await vi.advanceTimersByTimeAsync(1);
    expect([...h.running].sort()).toEqual([1, 2, 3]);
    expect(h.claims()).toBe(claimsBefore + 1);
    for (const id of [1, 2, 3]) h.finish(id);
    await h.loop.stop();
  });
});
