import type { SimulatorState } from './state.js';
import type { FaultRule } from './types.js';

/** What the faults decided for one request. */
export interface FaultDecision {
  /** Extra real-time delay from `latency` rules (plus `latencyMs` of the options). */
  delayMs: number;
  /** The rule that replaces the answer, if any. */
  rule: FaultRule | null;
}

/** Applies the fault rules to one request to `endpoint`, counting hits and drawing rates. */
export function decideFaults(state: SimulatorState, endpoint: string): FaultDecision {
  let delayMs = state.config.latencyMs;
  let rule: FaultRule | null = null;
  for (const candidate of state.faults) {
    if (candidate.endpoint && candidate.endpoint.toLowerCase() !== endpoint.toLowerCase()) continue;
    if (rule && candidate.kind !== 'latency') continue;
    const hits = state.faultHits.get(candidate) ?? 0;
    if (candidate.times !== undefined && hits >= candidate.times) continue;
    const rate = candidate.rate ?? 1;
    if (rate < 1 && state.faultRandom() >= rate) continue;
    state.faultHits.set(candidate, hits + 1);
    if (candidate.kind === 'latency') delayMs += Math.max(0, candidate.latencyMs ?? 500);
    else rule = candidate;
  }
  return { delayMs, rule };
}

/** The FlinksCode a simulated error status carries. */
export function faultFlinksCode(status: number): string {
  if (status === 429) return 'TOO_MANY_REQUESTS';
  if (status === 500) return 'AGGREGATION_ERROR';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 400) return 'INVALID_REQUEST';
  return 'RETRY_LATER';
}

/** The truncated body of a `malformed` fault: valid JSON up to the cut. */
export const MALFORMED_BODY = '{"HttpStatusCode":200,"Accou';
