import { FlinksApiError, type UpstreamFailureReason } from './errors';

/** A JSON object from Flinks, parsed leniently: unknown fields pass through. */
export type FlinksBody = Record<string, unknown>;

/** FlinksCodes we echo must look like one; anything else is dropped. */
export const SAFE_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** True for errors worth retrying inline: network trouble, timeouts, 429 and 5xx. */
export function isRetryable(error: unknown): error is FlinksApiError {
  if (!FlinksApiError.isInstance(error) || error.kind !== 'transient') return false;
  // Only transport-level trouble is retried inline; a transient FlinksCode such as
  // RETRY_LATER is left to the engine's longer backoff.
  return error.httpStatus === null || error.httpStatus === 429 || error.httpStatus >= 500;
}

/** The body as a JSON object, or null when it is not one. */
export function parseBody(text: string): FlinksBody | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as FlinksBody)
      : null;
  } catch {
    return null;
  }
}

/** `Retry-After` (seconds or HTTP date) in ms, or undefined. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** What a network failure's code says went wrong, for the log. */
export function networkFailureReason(code: string): UpstreamFailureReason {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') return 'dns';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'reset';
  if (/SSL|TLS|CERT|EPROTO/.test(code)) return 'tls';
  return 'network';
}

// Failures that happen before a request is written: it never reached Flinks.
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * True when a network failure (by its code, e.g. `ECONNREFUSED`) certainly happened before the
 * request left (DNS, refused connect).
 */
export function neverSent(code: string): boolean {
  return NOT_SENT.has(code);
}
