import { FlinkitProxyError } from '../base/errors';
import {
  type AccountsDetailEvent,
  decodeWebhookSecret,
  FORWARD_EVENT_TYPE,
  type ForwardedWebhook,
  signStandardWebhook,
} from '../base/forward-webhook';
import type { Deliver } from './types';

/** Options of {@link createForwardDeliverer}. */
export interface ForwardDelivererOptions {
  url: string;
  /** Standard Webhooks secret: `whsec_` + base64 (the prefix is optional). */
  secret: string;
  fetch?: typeof fetch;
  /** Per attempt; default 10 000 ms. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * A `Deliver` that POSTs each completion to `url`, signed per Standard Webhooks
 * (`webhook-id` = the delivery id, `webhook-timestamp`, `webhook-signature`). Any non-2xx
 * answer or network error throws, so the engine's durable outbox retries with backoff.
 *
 * @example
 * createFlinkitApp({ ..., engineOptions: { ..., deliver: createForwardDeliverer({ url, secret }) } });
 */
export function createForwardDeliverer(options: ForwardDelivererOptions): Deliver {
  decodeWebhookSecret(options.secret);
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (event: AccountsDetailEvent, call?: { signal: AbortSignal }) => {
    const body: ForwardedWebhook = {
      type: FORWARD_EVENT_TYPE,
      timestamp: event.completedAt,
      data: event,
    };
    const text = JSON.stringify(body);
    const timestamp = Math.floor(now() / 1000);
    let response: Response;
    try {
      response = await fetchImpl(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': event.deliveryId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signStandardWebhook(
            event.deliveryId,
            timestamp,
            text,
            options.secret,
          ),
        },
        body: text,
        signal: call
          ? AbortSignal.any([call.signal, AbortSignal.timeout(timeoutMs)])
          : AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
    } catch {
      throw new FlinkitProxyError({
        code: 'forward_failed',
        message: 'The forward webhook could not reach FLINKIT_FORWARD_URL; it will be retried.',
        recoverable: true,
      });
    }
    if (!response.ok) {
      throw new FlinkitProxyError({
        code: 'forward_failed',
        message: `FLINKIT_FORWARD_URL answered ${response.status}; the delivery will be retried.`,
        recoverable: true,
      });
    }
  };
}
