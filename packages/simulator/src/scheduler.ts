import { type Clock, isManualClock } from './clock.js';

/** Runs callbacks at clock times: on a manual clock when it moves, on real time by timer. */
export interface Scheduler {
  /** Runs `task` once the clock reaches `at`. */
  at(at: number, task: () => void): void;
  /** Runs every task that is due now. */
  runDue(): void;
  /** Cancels everything; later `at` calls are ignored. */
  stop(): void;
}

/** A scheduler over `clock` (manual clocks are watched, real time uses one timer). */
export function createScheduler(clock: Clock): Scheduler {
  let tasks: { at: number; task: () => void }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (stopped || isManualClock(clock) || tasks.length === 0) return;
    const next = tasks[0]?.at ?? clock.now();
    // Timers cap at ~24.8 days; re-arming later is harmless.
    const delay = Math.min(Math.max(0, next - clock.now()), 2 ** 31 - 1);
    timer = setTimeout(runDue, delay);
    timer.unref?.();
  };

  const runDue = () => {
    if (stopped) return;
    const now = clock.now();
    // Tasks stay sorted by time, so the due ones are a prefix.
    let count = 0;
    while (count < tasks.length && (tasks[count]?.at ?? Number.POSITIVE_INFINITY) <= now) count++;
    const due = tasks.splice(0, count);
    for (const entry of due) entry.task();
    arm();
  };

  const unsubscribe = isManualClock(clock) ? clock.subscribe(() => runDue()) : undefined;

  return {
    at(at, task) {
      if (stopped) return;
      let low = 0;
      let high = tasks.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((tasks[middle]?.at ?? 0) <= at) low = middle + 1;
        else high = middle;
      }
      tasks.splice(low, 0, { at, task });
      if (at <= clock.now() && isManualClock(clock)) runDue();
      else arm();
    },
    runDue,
    stop() {
      stopped = true;
      tasks = [];
      if (timer) clearTimeout(timer);
      unsubscribe?.();
    },
  };
}
