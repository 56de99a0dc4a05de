import type { CoordinationStore } from '../store/store';

/** The verdict of {@link RateLimiter.consume}. */
export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the next attempt may succeed (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * Counts attempts per key (`sessions:<userId>`, `connections:<userId>`). In memory by
 * default; a database-backed implementation can replace it without touching the routes.
 */
export interface RateLimiter {
  /** Records one attempt for `key` and says whether it is within the limit. */
  consume(key: string): Promise<RateLimitResult>;
}

/** A limit of `limit` attempts per `windowMs`. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** Options of {@link createMemoryRateLimiter}. */
export interface MemoryRateLimiterOptions extends RateLimitRule {
  now?: () => number;
}

/**
 * A fixed-window, in-memory {@link RateLimiter}: at most `limit` attempts per key in each
 * window of `windowMs`. Windows of idle keys are dropped as time passes.
 *
 * @example
 * const limiter = createMemoryRateLimiter({ limit: 10, windowMs: 60_000 });
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { startedAt: number; count: number }>();
  let lastSweep = now();

  return {
    async consume(key) {
      const at = now();
      if (at - lastSweep >= options.windowMs) {
        for (const [k, window] of windows) {
          if (at - window.startedAt >= options.windowMs) windows.delete(k);
        }
        lastSweep = at;
      }
      let window = windows.get(key);
      if (!window || at - window.startedAt >= options.windowMs) {
        window = { startedAt: at, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count <= options.limit) return { allowed: true, retryAfterSeconds: 0 };
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((window.startedAt + options.windowMs - at) / 1000),
      );
      return { allowed: false, retryAfterSeconds };
    },
  };
}

/**
 * A fixed-window {@link RateLimiter} whose windows live in the store (`rate_limits`), so
 * every instance on the database counts against the same limit.
 *
 * @example
 * const limiter = createStoreRateLimiter(store, { limit: 10, windowMs: 60_000 });
 */
export function createStoreRateLimiter(
  store: Pick<CoordinationStore, 'consumeRateLimit'>,
  options: MemoryRateLimiterOptions,
): RateLimiter {
  const now = options.now ?? Date.now;
  return {
    async consume(key) {
      const at = now();
      const window = await store.consumeRateLimit(key, options.windowMs, at);
      if (window.count <= options.limit) return { allowed: true, retryAfterSeconds: 0 };
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((window.windowStart + options.windowMs - at) / 1000),
      );
      return { allowed: false, retryAfterSeconds };
    },
  };
}
