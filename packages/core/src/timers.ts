import type { Timers } from './types';

/** The global timers and clock, looked up on every call so fake timers and other runtimes work. */
export function systemTimers(): Timers {
  return {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as number),
    now: () => Date.now(),
  };
}
