import type { RetrievalEngine } from '../engine/types';
import type { CoordinationStore } from '../store/store';
import {
  createMemoryRateLimiter,
  createStoreRateLimiter,
  type RateLimiter,
  type RateLimitRule,
} from './rate-limit';
import { createMemoryTicketStore, createStoreTicketStore, type TicketStore } from './tickets';

/** Options of {@link createAppSharedState}. */
export interface AppSharedStateOptions {
  /** The app's engine; its `coordination` store is used when present. */
  engine: Promise<RetrievalEngine>;
  rules: { sessions: RateLimitRule; connections: RateLimitRule };
  now: () => number;
}

/**
 * The app's rate limiters and SSE ticket store: kept in the engine's database when several
 * instances share it (`engine.coordination`), in memory otherwise. Chosen once, when the engine
 * is ready (routes wait for it anyway).
 */
export function createAppSharedState(options: AppSharedStateOptions): {
  tickets: TicketStore;
  limiters: { sessions: RateLimiter; connections: RateLimiter };
} {
  const { now, rules } = options;
  const chosen = options.engine.then(
    (engine) => engine.coordination,
    () => undefined,
  );
  const pick = <T>(make: (store: CoordinationStore | undefined) => T): (() => Promise<T>) => {
    const made = chosen.then(make);
    return () => made;
  };
  const limiter = (rule: RateLimitRule) =>
    pick((store) =>
      store
        ? createStoreRateLimiter(store, { ...rule, now })
        : createMemoryRateLimiter({ ...rule, now }),
    );
  const sessions = limiter(rules.sessions);
  const connections = limiter(rules.connections);
  const tickets = pick((store) =>
    store ? createStoreTicketStore(store, { now }) : createMemoryTicketStore({ now }),
  );
  return {
    tickets: {
      issue: async (userId, connectionId) => (await tickets()).issue(userId, connectionId),
      redeem: async (ticket, connectionId) => (await tickets()).redeem(ticket, connectionId),
      resume: async (ticket, connectionId) =>
        (await tickets()).resume?.(ticket, connectionId) ?? null,
      release: async (ticket, connectionId) => (await tickets()).release?.(ticket, connectionId),
    },
    limiters: {
      sessions: { consume: async (key) => (await sessions()).consume(key) },
      connections: { consume: async (key) => (await connections()).consume(key) },
    },
  };
}
