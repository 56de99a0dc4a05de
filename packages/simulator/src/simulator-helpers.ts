import { SimulatorError } from './errors.js';
import { finishSession, type SimulatorState } from './state.js';
import type { FaultRule } from './types.js';

/** Replaces the fault rules and forgets their hit counts (`setFaults` of both transports). */
export function replaceFaults(state: SimulatorState, rules: FaultRule[]): void {
  state.faults = [...rules];
  state.faultHits.clear();
}

/** Finishes the processing of `requestId` now (`completeRequest` of both transports). */
export function completeRequest(state: SimulatorState, requestId: string): void {
  const session = state.sessions.get(requestId);
  if (!session) {
    throw new SimulatorError(
      'unknown_request_id',
      `No live RequestId ${requestId}: call /Authorize first.`,
    );
  }
  if (session.challenge) {
    throw new SimulatorError(
      'challenge_pending',
      `RequestId ${requestId} waits for its security challenge: answer it with /Authorize first.`,
    );
  }
  finishSession(state, requestId);
}
