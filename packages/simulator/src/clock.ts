/** A source of time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** A clock that moves only when told to; listeners run after every move. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` (negative values are ignored). */
  advance(ms: number): void;
  /** Sets the time; it may go backwards. */
  set(ms: number): void;
  /** Calls `listener` after each `advance`/`set`; returns an unsubscribe function. */
  subscribe(listener: (now: number) => void): () => void;
}

/** 2025-01-31T12:00:00Z: the manual clock's default start, so seeded data is stable. */
export const DEFAULT_MANUAL_CLOCK_START = Date.UTC(2025, 0, 31, 12, 0, 0);

/** The wall clock. */
export function createSystemClock(): Clock {
  return { now: () => Date.now() };
}

/**
 * A controllable clock for tests: expiry, processing and webhook retries follow it, so a
 * 30-minute cap runs in milliseconds.
 *
 * @example
 * const clock = createManualClock();
 * const sim = await startSimulator({ clock });
 * clock.advance(2_000); // processing done
 */
export function createManualClock(start: number = DEFAULT_MANUAL_CLOCK_START): ManualClock {
  let current = start;
  const listeners = new Set<(now: number) => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener(current);
  };
  return {
    now: () => current,
    advance(ms) {
      current += Math.max(0, ms);
      notify();
    },
    set(ms) {
      current = ms;
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** True when `clock` can tell us it moved (a manual clock). */
export function isManualClock(clock: Clock): clock is ManualClock {
  return typeof (clock as Partial<ManualClock>).subscribe === 'function';
}
