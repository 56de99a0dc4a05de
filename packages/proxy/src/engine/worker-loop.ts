/** Options of {@link createWorkerLoop}. */
export interface WorkerLoopOptions<T> {
  /** Most items run at once. */
  concurrency: number;
  /** Atomically leases up to `limit` due items. */
  claim(limit: number): Promise<T[]>;
  /** Performs one step on a claimed item; must write its outcome and release the lease. */
  run(item: T): Promise<void>;
  /** When the next unleased item is due (epoch ms), or null when none is. */
  nextDueAt(): Promise<number | null>;
  now(): number;
  /** Longest sleep, so rows leased by a dead worker or written by another process are found. */
  maxIdleMs: number;
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
  /** Stops claiming and waits for the items in flight. */
  stop(): Promise<void>;
}

/**
 * Runs due items with bounded concurrency. It never busy-polls: when idle it sets one timer
 * for the earliest due item (capped at `maxIdleMs`), and a finishing item or `wake()` pumps
 * again at once. Thousands of waiting items cost one timer, not one each.
 */
export function createWorkerLoop<T>(options: WorkerLoopOptions<T>): WorkerLoop {
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let pumping = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let outages = 0;
  let resumeAt = 0;
  const pause = () => {
    // Steps failing together are one outage, not many: the pause grows once per try.
    if (Date.now() < resumeAt) return;
    outages += 1;
    resumeAt = Date.now() + Math.min(MAX_OUTAGE_BACKOFF_MS, 1_000 * 2 ** (outages - 1));
  };

  function sleepFor(delayMs: number) {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(() => void pump(), Math.max(0, Math.min(delayMs, options.maxIdleMs)));
  }

  function launch(item: T) {
    const task: Promise<void> = options
      .run(item)
      .then(
        () => {
          outages = 0;
        },
        (error: unknown) => {
          if (options.isOutage?.(error)) pause();
          options.onError(error);
        },
      )
      .finally(() => {
        inFlight.delete(task);
        void pump();
      });
    inFlight.add(task);
  }

  async function pump(): Promise<void> {
    if (!running) return;
    if (pumping) {
      again = true;
      return;
    }
    const paused = resumeAt - Date.now();
    if (paused > 0) {
      sleepFor(paused);
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        const free = options.concurrency - inFlight.size;
        if (free <= 0) return;
        const items = await options.claim(free);
        for (const item of items) {
          if (running) launch(item);
        }
        if (items.length === free) again = true;
      } while (again && running);
      if (inFlight.size < options.concurrency) {
        const dueAt = await options.nextDueAt();
        sleepFor(dueAt === null ? options.maxIdleMs : dueAt - options.now());
      }
    } catch (error) {
      pause();
      options.onError(error);
      sleepFor(resumeAt - Date.now());
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
    async stop() {
      running = false;
      clearTimeout(timer);
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
