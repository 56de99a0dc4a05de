import type { Timers } from './types';
import type { Connection } from './wire';

/** Timers driven by hand: `advance(ms)` runs what falls due, in order. */
export interface ManualTimers extends Timers {
  advance(ms: number): void;
  /** Delays of the timers still pending. */
  pending(): number[];
}

export function createManualTimers(start = Date.parse('2030-01-01T00:00:00Z')): ManualTimers {
  let now = start;
  let nextId = 1;
  const queue = new Map<number, { at: number; run: () => void }>();
  return {
    setTimeout(run, ms) {
      queue.set(nextId, { at: now + ms, run });
      return nextId++;
    },
    clearTimeout(handle) {
      queue.delete(handle as number);
    },
    now: () => now,
    pending: () => [...queue.values()].map(({ at }) => at - now),
    advance(ms) {
      const target = now + ms;
      for (;;) {
        const due = [...queue.entries()]
          .filter(([, timer]) => timer.at <= target)
          .sort(([, a], [, b]) => a.at - b.at)[0];
        if (!due) break;
        queue.delete(due[0]);
        now = due[1].at;
        due[1].run();
      }
      now = target;
    },
  };
}

/** A connection as the proxy reports it, with overrides. */
export function makeConnection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'conn_1',
    status: 'pending',
    institution: 'FlinksCapital',
    tag: null,
    retrievalId: 'ret_1',
    attempt: 0,
    startedAt: '2030-01-01T00:00:00.000Z',
    nextPollAt: null,
    deadlineAt: '2030-01-01T00:30:00.000Z',
    completedAt: null,
    updatedAt: '2030-01-01T00:00:00.000Z',
    version: 1,
    error: null,
    lastRefresh: null,
    stale: null,
    ...overrides,
  };
}
