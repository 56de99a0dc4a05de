import { createHmac } from 'node:crypto';
import { SimulatorError } from './errors.js';
import { buildAccountsPayload } from './payload.js';
import type { SessionRecord, SimulatorState } from './state.js';
import type { WebhookOptions } from './types.js';

/**
 * Signs a webhook body as Flinks does: HMAC-SHA256 of the raw body with the shared secret,
 * Base64-encoded. Verify by recomputing over the exact bytes received.
 *
 * @example
 * const expected = signWebhookBody(rawBody, secret);
 * crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(request.headers['flinks-authenticity-key']));
 */
export function signWebhookBody(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('base64');
}

/** Result of one webhook delivery run. */
export interface WebhookDelivery {
  delivered: boolean;
  /** Attempts made so far for this RequestId. */
  attempts: number;
}

/** Sends GetAccountsDetail webhooks for completed retrievals, retrying on the clock. */
export interface WebhookSender {
  /** One attempt now; on failure, the remaining attempts follow on the clock. */
  send(requestId: string): Promise<WebhookDelivery>;
  /** Resolves when no delivery is in flight. */
  idle(): Promise<void>;
}

/** Wires webhooks to `state`: every completed retrieval is POSTed to `options.url`. */
export function createWebhookSender(state: SimulatorState, options: WebhookOptions): WebhookSender {
  const maxAttempts = Math.max(1, options.attempts ?? 10);
  const spacingMs = Math.max(0, options.spacingMs ?? 30 * 60_000);
  const header = options.header ?? 'flinks-authenticity-key';
  const attemptsBy = new Map<string, number>();
  const delivered = new Set<string>();
  const inFlight = new Set<Promise<unknown>>();

  const attempt = async (session: SessionRecord): Promise<WebhookDelivery> => {
    const attempts = (attemptsBy.get(session.id) ?? 0) + 1;
    attemptsBy.set(session.id, attempts);
    // DeleteCard forgets the login: there is nothing left to send.
    if (!state.logins.has(session.loginId)) return { delivered: false, attempts };
    const body = JSON.stringify({
      ...buildAccountsPayload(state, session, { forWebhook: true }),
      ResponseType: 'GetAccountsDetail',
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.secret) headers[header] = signWebhookBody(body, options.secret);
    let ok = false;
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      ok = response.status === 200;
    } catch {
      ok = false;
    }
    if (ok) delivered.add(session.id);
    else if (attempts < maxAttempts) {
      state.scheduler.at(state.clock.now() + spacingMs, () => {
        if (!delivered.has(session.id)) track(attempt(session));
      });
    }
    return { delivered: ok, attempts };
  };

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  };

  state.onComplete.push((session) => {
    if (!delivered.has(session.id) && !attemptsBy.has(session.id)) track(attempt(session));
  });

  return {
    send(requestId) {
      const session = state.sessions.get(requestId);
      if (!session) {
        return Promise.reject(
          new SimulatorError(
            'unknown_request_id',
            `No live RequestId ${requestId}: call /Authorize first.`,
          ),
        );
      }
      return track(attempt(session));
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
