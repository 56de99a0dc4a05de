import type { FlinksErrorKind } from './errors';

/** How flinkit treats one FlinksCode. */
export interface FlinksCodeInfo {
  kind: FlinksErrorKind;
  /** True when the same action may succeed later (retry, refresh, re-link). */
  recoverable: boolean;
  /** What happened and what to do, safe to show (no upstream text). */
  description: string;
}

const REAUTHORIZE: FlinksErrorKind = 'reauthorize';
const TRANSIENT: FlinksErrorKind = 'transient';
const TERMINAL: FlinksErrorKind = 'terminal';

// apps/docs/flinks.md#errors-and-flinkscodes. Unknown codes fall back by HTTP status in
// `classifyFlinksCode`.
const CODES: Readonly<Record<string, FlinksCodeInfo>> = {
  SESSION_NONEXISTENT: info(REAUTHORIZE, true, 'The Flinks session ended; authorize again.'),
  SESSION_EXPIRED: info(REAUTHORIZE, true, 'The Flinks session expired; authorize again.'),
  RETRY_LATER: info(TRANSIENT, true, 'The bank is unavailable right now; try again later.'),
  CARD_IN_USE: info(TRANSIENT, true, 'The login is still being processed; try again shortly.'),
  CONCURRENT_SESSION: info(TRANSIENT, true, 'Another session uses this login; try again shortly.'),
  TOO_MANY_REQUESTS: info(TRANSIENT, true, 'Flinks is rate limiting; try again later.'),
  AGGREGATION_ERROR: info(TRANSIENT, true, 'Flinks could not aggregate the data; try again.'),
  DISABLED_LOGIN: info(TERMINAL, false, 'The bank login is disabled; the user must re-link.'),
  INVALID_LOGIN: info(TERMINAL, false, 'Flinks does not know this login; the user must re-link.'),
  INVALID_USERNAME: info(TERMINAL, false, 'The bank username is invalid; the user must re-link.'),
  INVALID_PASSWORD: info(TERMINAL, false, 'The bank password is invalid; the user must re-link.'),
  INVALID_SECURITY_RESPONSE: info(TERMINAL, true, 'The MFA answer was wrong; link again.'),
  INVALID_SECURITY_RESPONSE_NO_RETRY: info(TERMINAL, false, 'The MFA answer was refused.'),
  QUESTION_NOT_FOUND: info(TERMINAL, true, 'The bank asked an unknown MFA question; link again.'),
  UNKNOWN_CHALLENGE_KEY: info(TERMINAL, true, 'The bank asked an unknown MFA question.'),
  SECURITYRESPONSES_INCOMPLETE: info(TERMINAL, true, 'MFA answers were missing; link again.'),
  NEW_ACCOUNT: info(TERMINAL, true, 'The bank needs the user to act first; link again later.'),
  DISABLED_INSTITUTION: info(TERMINAL, true, 'The institution is disabled at Flinks for now.'),
  ACCESS_DENIED: info(TERMINAL, false, 'Flinks denied access; check the instance credentials.'),
  UNAUTHORIZED: info(TERMINAL, false, 'Flinks refused the credentials; check the keys.'),
  INVALID_REQUEST: info(TERMINAL, false, 'Flinks refused the request as malformed.'),
  ALREADY_AUTHORIZED: info(TERMINAL, true, 'The session is already authorized; start again.'),
  NO_TRANSACTION: info(TERMINAL, false, 'Flinks has no transactions for this login.'),
  METHOD_NOT_AVAILABLE: info(TERMINAL, false, 'This Flinks method is not enabled.'),
  MFA_REQUIRED: info(TERMINAL, true, 'The bank asks for MFA; the user must link again.'),
};

function info(kind: FlinksErrorKind, recoverable: boolean, description: string): FlinksCodeInfo {
  return { kind, recoverable, description };
}

/**
 * Classifies a failed Flinks answer. Known FlinksCodes win; otherwise 429 and 5xx are
 * transient and everything else terminal.
 *
 * @example classifyFlinksCode('SESSION_EXPIRED', 400).kind === 'reauthorize'
 */
export function classifyFlinksCode(flinksCode: string | null, httpStatus: number): FlinksCodeInfo {
  const known = flinksCode === null ? undefined : CODES[flinksCode];
  if (known) return known;
  if (httpStatus === 429) return info(TRANSIENT, true, 'Flinks is rate limiting; try again later.');
  if (httpStatus >= 500) return info(TRANSIENT, true, 'Flinks answered with a server error.');
  return info(TERMINAL, false, 'Flinks refused the request.');
}

/** True for the 202 codes that mean "poll GetAccountsDetailAsync". */
export function isPendingFlinksCode(flinksCode: string | null): boolean {
  return flinksCode === 'OPERATION_PENDING' || flinksCode === 'OPERATION_DISPATCHED';
}
