import type { Context, Hono } from 'hono';
import type { FlinkitLogger } from '../base/logger';
import type { RetrievalEngine } from '../engine/types';
import type { FlinkitConfig } from './config';
import type { MintAuthorizeToken } from './connect-session';
import { HttpError } from './http-error';
import type { Metrics } from './metrics';
import type { RateLimiter } from './rate-limit';
import type { Heartbeats } from './sse';
import type { StreamSlots } from './stream-limits';
import type { TicketStore } from './tickets';

/** What every route module gets from `createFlinkitApp` (internal). */
export interface AppContext {
  config: FlinkitConfig;
  /** Resolves once the engine exists (created lazily when not injected). */
  engine: Promise<RetrievalEngine>;
  /** The caller's userId, or a thrown 401. */
  identify(request: Request): Promise<string>;
  tickets: TicketStore;
  limiters: { sessions: RateLimiter; connections: RateLimiter };
  metrics: Metrics;
  logger: FlinkitLogger;
  mint: MintAuthorizeToken;
  now: () => number;
  /** An error as a log-safe line (secrets, GUIDs, digit runs scrubbed). */
  describe(error: unknown): string;
  /** Keeps work that outlives its response (webhook processing) for `close()`. */
  track(work: Promise<void>): void;
  /** Registers an open SSE stream's closer; returns its unregister. */
  trackStream(close: () => void): () => void;
  /** Per-user and per-process limits on open SSE streams. */
  streamSlots: StreamSlots;
  /** The one heartbeat timer of every open SSE stream. */
  heartbeats: Heartbeats;
  /**
   * A JSON response that already carries the `/v1` headers (no-store, CORS), so the middleware
   * leaves it as it is: for the hottest routes, where rebuilding headers cost more than the rest.
   */
  json(c: Context, body: unknown, status?: number): Response;
}

/** Throws 429 `rate_limited` with `Retry-After` when `limiter` refuses `key`. */
export async function enforceRateLimit(limiter: RateLimiter, key: string): Promise<void> {
  const result = await limiter.consume(key);
  if (!result.allowed) {
    throw new HttpError(
      429,
      'rate_limited',
      `Too many requests. Try again in ${result.retryAfterSeconds} s.`,
      true,
      { headers: { 'retry-after': String(result.retryAfterSeconds) } },
    );
  }
}

/** Answers 405 `method_not_allowed` for any other method on `path`. */
export function allowOnly(app: Hono, path: string, methods: readonly string[]): void {
  app.all(path, () => {
    throw new HttpError(
      405,
      'method_not_allowed',
      `Use ${methods.join(' or ')} on this route.`,
      false,
      { headers: { allow: methods.join(', ') } },
    );
  });
}
