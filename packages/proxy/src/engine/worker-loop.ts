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
}

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

  function sleepFor(delayMs: number) {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(() => void pump(), Math.max(0, Math.min(delayMs, options.maxIdleMs)));
  }

  function launch(item: T) {
    const task: Promise<void> = options
      .run(item)
      .catch(options.onError)
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
      options.onError(error);
      sleepFor(Math.min(1_000, options.maxIdleMs));
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
