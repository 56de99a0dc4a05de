import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The headers Flinks may put the signature in (apps/docs/flinks.md#webhooks: Flinks' docs disagree;
 * both are read).
 */
export const FLINKS_SIGNATURE_HEADERS = ['flinks-authenticity-key', 'x-flinks-signature'] as const;

/**
 * The Flinks signature of a webhook body: Base64 of HMAC-SHA256(raw body, secret). Use it
 * to sign test payloads (the idea of stripe-node's `generateTestHeaderString`).
 *
 * @example
 * const body = JSON.stringify(payload);
 * await fetch(`${proxy}/v1/webhooks/flinks`, {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', 'flinks-authenticity-key': signFlinksWebhook(body, secret) },
 *   body,
 * });
 */
export function signFlinksWebhook(rawBody: string | Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/**
 * True when `signature` is exactly the Base64 string Flinks sends for these bytes: the
 * standard alphabet with its padding, nothing before or after (compared in constant time).
 * Decoding first would accept other spellings of the same bytes (trailing junk, the URL-safe
 * alphabet, missing padding). Verify the raw body: a body parsed and re-serialised does not
 * match.
 */
export function verifyFlinksSignature(
  rawBody: Uint8Array,
  signature: string | null,
  secret: string,
): boolean {
  if (signature === null) return false;
  const expected = Buffer.from(signFlinksWebhook(rawBody, secret), 'latin1');
  const actual = Buffer.from(signature, 'latin1');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
