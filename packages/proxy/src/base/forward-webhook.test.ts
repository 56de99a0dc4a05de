import { describe, expect, it } from 'vitest';
import {
  signStandardWebhook,
  verifyForwardedWebhook,
  WebhookVerificationError,
} from './forward-webhook';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const NOW = Date.parse('2026-04-01T08:00:00Z');

describe('verifyForwardedWebhook', () => {
  const body = JSON.stringify({ type: 'accounts_detail.ready', data: {} });
  const seconds = NOW / 1000;
  const headers = (signature: string, timestamp = seconds) =>
    new Headers({
      'webhook-id': 'dlv_9',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    });

  it('matches the Standard Webhooks reference signature', () => {
    // Test vector from the Standard Webhooks specification (standard-webhooks/standard-webhooks, spec).
    const signature = signStandardWebhook(
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    );
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('accepts any matching v1 signature among several', () => {
    const good = signStandardWebhook('dlv_9', seconds, body, SECRET);
    expect(() =>
      verifyForwardedWebhook({
        body,
        headers: headers(`v1,bm9wZQ== ${good}`),
        secret: SECRET,
        now: () => NOW,
      }),
    ).not.toThrow();
  });

  it('rejects a wrong signature, a modified body and an old timestamp', () => {
    const good = signStandardWebhook('dlv_9', seconds, body, SECRET);
    const attempts = [
      () =>
        verifyForwardedWebhook({
          body,
          headers: headers('v1,bm9wZQ=='),
          secret: SECRET,
          now: () => NOW,
        }),
      () =>
        verifyForwardedWebhook({
          body: `${body} `,
          headers: headers(good),
          secret: SECRET,
          now: () => NOW,
        }),
      () =>
        verifyForwardedWebhook({
          body,
          headers: headers(good),
          secret: SECRET,
          now: () => NOW + 301_000,
        }),
      () =>
        verifyForwardedWebhook({ body, headers: new Headers(), secret: SECRET, now: () => NOW }),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(WebhookVerificationError);
  });
});
