import type { FlinksBody } from './response';

// Errors about the Authorize call itself, never a replayed refresh: no usable session comes
// with them, whatever the body holds.
const CALL_LEVEL = new Set([
  'INVALID_LOGIN',
  'INVALID_REQUEST',
  'ACCESS_DENIED',
  'TOO_MANY_REQUESTS',
  'UNAUTHORIZED',
  'METHOD_NOT_AVAILABLE',
  'SESSION_NONEXISTENT',
]);

const REQUEST_ID = /^[\w-]{1,128}$/;

/**
 * True when a cached Authorize (`MostRecentCached: true`) answered an error that replays the
 * last refresh's outcome and still carries a RequestId that reads the cached data — e.g.
 * 401 `QUESTION_NOT_FOUND` after an abandoned MFA (help.flinks.com 43000761538 "Errors When
 * Calling Authorize with Cached Mode"). `INVALID_LOGIN`, other call-level codes, 429 and 5xx,
 * and any error without a RequestId are not.
 */
export function isReplayedRefresh(
  status: number,
  flinksCode: string | null,
  body: FlinksBody,
): flinksCode is string {
  if (status < 400 || status >= 500 || status === 429) return false;
  if (flinksCode === null || CALL_LEVEL.has(flinksCode)) return false;
  return typeof body.RequestId === 'string' && REQUEST_ID.test(body.RequestId);
}
