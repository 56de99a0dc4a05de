import type { RetrievalEngine } from '../engine/types';
import { createMemoryRateLimiter, type RateLimiter, type RateLimitRule } from './rate-limit';
import { createMemoryTicketStore, type TicketStore } from './tickets';

/** Options of {@link createAppSharedState}. */
export interface AppSharedStateOptions {
  /** The app's engine; its `shared` state is used when present. */
  engine: Promise<RetrievalEngine>;
  rules: { sessions: RateLimitRule; connections: RateLimitRule };
  now: () => number;
}

/**
 * The app's rate limiters and SSE ticket store: kept in the engine's database when it is
 * shared by several instances (`engine.shared`), in memory otherwise. Chosen once, when the
 * engine is ready (routes wait for it anyway).
 */
export function createAppSharedState(options: AppSharedStateOptions): {
  tickets: TicketStore;
  limiters: { sessions: RateLimiter; connections: RateLimiter };
} {
  const { now, rules } = options;
  const chosen = options.engine.then(
    (engine) => engine.shared,
    () => undefined,
  );
  const pick = <T>(make: (shared: RetrievalEngine['shared']) => T): (() => Promise<T>) => {
    const made = chosen.then(make);
    return () => made;
  };
  const sessions = pick((shared) =>
    shared
      ? shared.rateLimiter(rules.sessions, now)
      : createMemoryRateLimiter({ ...rules.sessions, now }),
  );
  const connections = pick((shared) =>
    shared
      ? shared.rateLimiter(rules.connections, now)
      : createMemoryRateLimiter({ ...rules.connections, now }),
  );
  const tickets = pick((shared) =>
    shared ? shared.ticketStore({ now }) : createMemoryTicketStore({ now }),
  );
  return {
    tickets: {
      issue: async (userId, connectionId) => (await tickets()).issue(userId, connectionId),
      redeem: async (ticket, connectionId) => (await tickets()).redeem(ticket, connectionId),
    },
    limiters: {
      sessions: { consume: async (key) => (await sessions()).consume(key) },
      connections: { consume: async (key) => (await connections()).consume(key) },
    },
  };
}
