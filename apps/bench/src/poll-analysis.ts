import { maximum, percentile } from './stats';

/** One upstream data call (GetAccountsDetail or GetAccountsDetailAsync) of one RequestId. */
export interface DataCall {
  requestId: string;
  /** When the simulator received it (epoch ms). */
  at: number;
}

/** How regularly each RequestId was polled. */
export interface PollRegularity {
  requestIds: number;
  /** Consecutive-call gaps examined. */
  gaps: number;
  /** Gaps shorter than half the interval: a poll made twice. */
  doubled: number;
  /** Gaps longer than twice the interval: a poll skipped. */
  missed: number;
  /** Mean and largest gap, to read beside the interval. */
  meanGapMs: number;
  maxGapMs: number;
  /**
   * How late each call came: its gap to the previous call of the same RequestId minus the
   * interval. An upper bound of the engine's lateness, which counts from the end of the previous
   * call (the engine schedules the next poll once an answer is in), so it includes that call's
   * own time upstream.
   */
  lateP50Ms: number;
  lateP99Ms: number;
  lateMaxMs: number;
}

/**
 * Checks the poll schedule from the upstream's side: for each RequestId, consecutive data calls
 * closer than `0.5 × intervalMs` are doubled, farther than `2 × intervalMs` are missed. The first
 * GetAccountsDetail counts as the first call, so a late first Async poll is caught too.
 */
export function analyzePolls(calls: readonly DataCall[], intervalMs: number): PollRegularity {
  const byRequest = new Map<string, number[]>();
  for (const call of calls) {
    const times = byRequest.get(call.requestId) ?? [];
    times.push(call.at);
    byRequest.set(call.requestId, times);
  }
  let gaps = 0;
  let doubled = 0;
  let missed = 0;
  let sum = 0;
  let max = 0;
  const late: number[] = [];
  for (const times of byRequest.values()) {
    times.sort((a, b) => a - b);
    for (let index = 1; index < times.length; index++) {
      const gap = (times[index] as number) - (times[index - 1] as number);
      gaps++;
      sum += gap;
      max = Math.max(max, gap);
      late.push(gap - intervalMs);
      if (gap < intervalMs / 2) doubled++;
      else if (gap > intervalMs * 2) missed++;
    }
  }
  return {
    requestIds: byRequest.size,
    gaps,
    doubled,
    missed,
    meanGapMs: gaps === 0 ? 0 : sum / gaps,
    maxGapMs: max,
    lateP50Ms: percentile(late, 50),
    lateP99Ms: percentile(late, 99),
    lateMaxMs: maximum(late),
  };
}
