/** Options of {@link createWorkerLoop}. */
export interface WorkerLoopOptions<T> {
  /** Most items run at once. */
  concurrency: number;
  /** Atomically leases up to `limit` due items. */
  claim(limit: number): Promise<T[]>;
  /**
   * Performs one step on a claimed item; must write its outcome and release the lease. It may
   * resolve with when the item is due again (epoch ms, or null for never): the loop then only
   * moves its timer instead of reading the store. Resolving with anything else makes it look.
   */
  run(item: T): Promise<unknown>;
  /** When the next unleased item is due (epoch ms), or null when none is. */
  nextDueAt(): Promise<number | null>;
  now(): number;
  /** Longest sleep, so rows leased by a dead worker or written by another process are found. */
  maxIdleMs: number;
  /**
   * Shortest sleep before claiming items that come due, so that one claim takes all that came
   * due meanwhile rather than one each: items run up to this much after they are due. Default 0.
   */
  batchMs?: number;
  onError(error: unknown): void;
  /**
   * True for errors that mean the store is out (read-only, full, unreachable): the loop then
   * stops claiming for a backoff that doubles per consecutive outage error (1 s … 30 s) instead
   * of retrying at once. Default: claim errors only.
   */
  isOutage?(error: unknown): boolean;
}

/** Longest pause of a worker loop while its store is out. */
export const MAX_OUTAGE_BACKOFF_MS = 30_000;

/** A claim-run-release loop that sleeps until the earliest due item. */
export interface WorkerLoop {
  start(): void;
  /** New work may be due now (e.g. a retrieval was just created). */
  wake(): void;
  /** An item becomes due at `at` (epoch ms): wake by then, without reading the store now. */
  wakeAt(at: number): void;
  /** Stops claiming and waits for the items in flight. */
  stop(): Promise<void>;
}

/**
 * Runs due items with bounded concurrency. It never busy-polls: when idle it sets one timer
 * for the earliest due item (capped at `maxIdleMs`). Thousands of waiting items cost one timer,
 * not one each, and the store is read once per wake-up, not once per item: items that finish
 * in the same turn of the event loop lead to one claim, and an item that reports when it is
 * due again only moves the timer.
 */
export function createWorkerLoop<T>(options: WorkerLoopOptions<T>): WorkerLoop {
  const batchMs = options.batchMs ?? 0;
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let pumping = false;
  let again = false;
  let pumpSoon = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let outages = 0;
  let resumeAt = 0;
  const pause = () => {
    // Steps failing together are one outage, not many: the pause grows once per try.
    if (Date.now() < resumeAt) return;
    outages += 1;
    resumeAt = Date.now() + Math.min(MAX_OUTAGE_BACKOFF_MS, 1_000 * 2 ** (outages - 1));
  };

  function sleepUntil(at: number) {
    if (!running) return;
    const now = options.now();
    const target = Math.min(Math.max(at, now + batchMs), now + options.maxIdleMs);
    if (timer !== undefined && timerAt <= target) return;
    clearTimeout(timer);
    timerAt = target;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      void pump();
    }, target - now);
  }

  /** One pump for everything that finished in this turn of the event loop. */
  function schedulePump() {
    if (pumpSoon) return;
    pumpSoon = true;
    setImmediate(() => {
      pumpSoon = false;
      void pump();
    });
  }

  function launch(item: T) {
    const task: Promise<void> = options.run(item).then(
      (dueAt) => {
        outages = 0;
        finish(task, dueAt);
      },
      (error: unknown) => {
        if (options.isOutage?.(error)) pause();
        options.onError(error);
        finish(task, undefined);
      },
    );
    inFlight.add(task);
  }

  function finish(task: Promise<void>, dueAt: unknown) {
    // A full loop claimed nothing more: the slot this item frees may be wanted at once.
    const wasFull = inFlight.size >= options.concurrency;
    inFlight.delete(task);
    if (wasFull || typeof dueAt !== 'number') {
      if (wasFull || dueAt !== null) schedulePump();
    } else sleepUntil(dueAt);
  }

  async function pump(): Promise<void> {
    if (!running) return;
    if (pumping) {
      again = true;
      return;
    }
    const paused = resumeAt - Date.now();
    if (paused > 0) {
      sleepUntil(options.now() + paused);
      return;
    }
    pumping = true;
    clearTimeout(timer);
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    try {
      do {
        again = false;
        const free = options.concurrency - inFlight.size;
        if (free <= 0) return; // a finishing item pumps again
        const items = await options.claim(free);
        for (const item of items) {
          if (running) launch(item);
        }
        if (items.length === free) again = true;
      } while (again && running);
      const dueAt = await options.nextDueAt();
      sleepUntil(dueAt ?? options.now() + options.maxIdleMs);
    } catch (error) {
      pause();
      options.onError(error);
      sleepUntil(options.now() + Math.max(0, resumeAt - Date.now()));
    } finally {
      pumping = false;
      // A wake() that arrived while we were reading the next due time must not be lost.
      if (again && running) void pump();
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      void pump();
    },
    wake() {
      if (running) void pump();
    },
    wakeAt(at) {
      sleepUntil(at);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      while (pumping || inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
        if (pumping) await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

/**
 * Keeps a lease alive while a slow step runs: renews every third of `leaseMs`. Returns the
 * function that stops renewing.
 */
export function holdLease(
  renew: () => Promise<unknown>,
  leaseMs: number,
  onError: (error: unknown) => void,
): () => void {
  const interval = setInterval(
    () => void renew().catch(onError),
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  return () => clearInterval(interval);
}
