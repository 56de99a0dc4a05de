import type { Store } from '../store/store';
import { holdLease } from './worker-loop';

/**
 * First GetAccountsDetail calls, which Flinks may hold up to 210 s before it answers. They wait
 * outside the worker loop's step limit, so a held call never keeps a slot idle: the retrieval
 * stays leased (renewed here) and no other worker touches it until the call settles.
 */
export interface HeldDetails {
  /**
   * Runs `send` for retrieval `id`. While fewer than `max` calls are held it runs detached and
   * this resolves at once; otherwise it runs inline (the caller's slot waits). `send` writes
   * its own outcome; if it throws, or is abandoned, the lease is released.
   */
  run(id: string, send: (signal: AbortSignal) => Promise<void>): Promise<void>;
  /** Calls held now. */
  readonly size: number;
  /** Most calls held at once so far. */
  readonly peak: number;
  /**
   * Aborts every held call (and any started later) and releases their leases: the row stays
   * due with its RequestId, so the next owner polls GetAccountsDetailAsync and never POSTs again.
   */
  abandon(): Promise<void>;
}

/** Options of {@link createHeldDetails}. */
export interface HeldDetailsOptions {
  store: Store;
  owner: string;
  leaseMs: number;
  now(): number;
  /** Most calls held detached at once. */
  max: number;
  onError(error: unknown): void;
  /** A detached call settled: its retrieval may be due (wake the worker loop). */
  onSettled(): void;
}

/** The engine's {@link HeldDetails}. */
export function createHeldDetails(options: HeldDetailsOptions): HeldDetails {
  const { store, owner } = options;
  const running = new Map<Promise<void>, AbortController>();
  let detached = 0;
  let peak = 0;
  let closing = false;

  async function settle(
    id: string,
    send: (signal: AbortSignal) => Promise<void>,
    controller: AbortController,
  ) {
    try {
      await send(controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) options.onError(error);
      // Free the row now rather than when the lease expires.
      await store.releaseRetrieval(id, owner).catch(() => undefined);
    }
  }

  function track(id: string, send: (signal: AbortSignal) => Promise<void>, inline: boolean) {
    const controller = new AbortController();
    if (closing) controller.abort();
    const stopRenewing = inline
      ? () => undefined
      : holdLease(
          () => store.renewRetrieval(id, owner, options.now() + options.leaseMs),
          options.leaseMs,
          options.onError,
        );
    const task: Promise<void> = settle(id, send, controller).finally(() => {
      stopRenewing();
      running.delete(task);
      if (inline) return;
      detached--;
      options.onSettled();
    });
    running.set(task, controller);
    return task;
  }

  return {
    async run(id, send) {
      if (detached >= options.max) return track(id, send, true);
      detached++;
      peak = Math.max(peak, detached);
      void track(id, send, false);
    },
    get size() {
      return detached;
    },
    get peak() {
      return peak;
    },
    async abandon() {
      closing = true;
      for (const controller of running.values()) controller.abort();
      while (running.size > 0) await Promise.allSettled([...running.keys()]);
    },
  };
}
