import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError, FlinkitProxyError } from './errors';

// The signed message flinkit POSTs to the host's backend (Standard Webhooks): its body, signing
// and verification. The engine's forward deliverer sends it; `@flinkit/proxy/webhooks` verifies it.

/**
 * What the host app receives once per completed retrieval: through the embedded
 * `onAccountsDetail` hook, an `engineOptions.deliver` function, or (as `data`) the signed
 * forward webhook.
 */
export interface AccountsDetailEvent {
  /** Unique per completion; stable across delivery retries (use it as an idempotency key). */
  deliveryId: string;
  userId: string;
  connectionId: string;
  retrievalId: string;
  completedAt: string;
  /** The GetAccountsDetail 200 body, as Flinks sent it. */
  payload: Record<string, unknown>;
}

/** The event type of a forwarded completion. */
export const FORWARD_EVENT_TYPE = 'accounts_detail.ready';

/** The JSON body flinkit POSTs to `FLINKIT_FORWARD_URL`. */
export interface ForwardedWebhook {
  type: typeof FORWARD_EVENT_TYPE;
  /** ISO-8601 time of the completion. */
  timestamp: string;
  data: AccountsDetailEvent;
}

/** Thrown by {@link verifyForwardedWebhook} when a delivery is not authentic or too old. */
export class WebhookVerificationError extends FlinkitProxyError {
  constructor(message: string) {
    super({ code: 'invalid_signature', message, recoverable: false, status: 401 });
    this.name = 'WebhookVerificationError';
  }
}

/** Decodes a Standard Webhooks secret (`whsec_<base64>`) to its key bytes. */
export function decodeWebhookSecret(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  if (key.length < 16) {
    throw new ConfigError(
      'FLINKIT_FORWARD_SECRET',
      'The forward secret must be `whsec_` + base64 of at least 16 bytes (`flinkit keygen --webhook` makes one).',
    );
  }
  return key;
}

/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` per Standard Webhooks. */
export function signStandardWebhook(
  id: string,
  timestampSeconds: number,
  body: string,
  secret: string,
): string {
  const mac = createHmac('sha256', decodeWebhookSecret(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/** Options of {@link verifyForwardedWebhook}. */
export interface VerifyForwardedWebhookOptions {
  /** The raw request body, exactly as received. */
  body: string;
  /** The request headers (a `Headers`, or a plain object as Node's `req.headers`). */
  headers: Headers | Record<string, string | string[] | undefined>;
  secret: string;
  /** Largest accepted clock difference; default 300 s. */
  toleranceSeconds?: number;
  now?: () => number;
}

/**
 * For receivers of the forward webhook: checks the Standard Webhooks signature (any of the
 * space-separated `v1,` signatures, constant-time) and the timestamp tolerance, then returns
 * the parsed body. Throws {@link WebhookVerificationError} otherwise. Deduplicate on
 * `webhook-id` (= `data.deliveryId`): a delivery may arrive more than once.
 *
 * @example
 * const event = verifyForwardedWebhook({ body: rawBody, headers: req.headers, secret });
 * await saveAccounts(event.data.userId, event.data.payload);
 */
export function verifyForwardedWebhook(options: VerifyForwardedWebhookOptions): ForwardedWebhook {
  const header = (name: string): string | undefined => {
    if (options.headers instanceof Headers) return options.headers.get(name) ?? undefined;
    const value = options.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError(
      'Missing webhook-id, webhook-timestamp or webhook-signature header.',
    );
  }
  const seconds = Number(timestamp);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (
    !/^\d+$/.test(timestamp) ||
    Math.abs(nowSeconds - seconds) > (options.toleranceSeconds ?? 300)
  ) {
    throw new WebhookVerificationError(
      'The webhook timestamp is outside the tolerance; check the clock.',
    );
  }
  const expected = Buffer.from(
    signStandardWebhook(id, seconds, options.body, options.secret).slice(3),
    'base64',
  );
  const matches = signatures.split(' ').some((part) => {
    const [version, value] = part.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const actual = Buffer.from(value, 'base64');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  });
  if (!matches) {
    throw new WebhookVerificationError(
      'No webhook signature matches. Check the secret and verify the raw body, not a re-serialised one.',
    );
  }
  return JSON.parse(options.body) as ForwardedWebhook;
}
