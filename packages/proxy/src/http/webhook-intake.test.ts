import { describe, expect, it } from 'vitest';
import { FLINKS_SIGNATURE_HEADERS, signFlinksWebhook } from '../flinks/webhook-signature';
import { createTestApp, TEST_SECRETS } from '../test/helpers';

const BODY = JSON.stringify({
  ResponseType: 'GetAccountsDetail',
  HttpStatusCode: 200,
  RequestId: 'req-1',
  Login: { Id: TEST_SECRETS.loginId },
  Accounts: [],
});

function post(
  test: ReturnType<typeof createTestApp>,
  body: string,
  headers: Record<string, string> = {},
) {
  return test.request('/v1/webhooks/flinks', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('POST /v1/webhooks/flinks', () => {
  it('accepts a body signed in either header and hands it to the engine', async () => {
    const test = createTestApp({ webhookSecret: TEST_SECRETS.webhookSecret });
    for (const header of FLINKS_SIGNATURE_HEADERS) {
      const response = await post(test, BODY, {
        [header]: signFlinksWebhook(BODY, TEST_SECRETS.webhookSecret),
      });
      expect(response.status).toBe(200);
    }
    await test.flinkit.whenIdle();
    expect(test.engine.ingested).toEqual([JSON.parse(BODY), JSON.parse(BODY)]);
  });

  it('rejects an unsigned, forged or re-signed body with 401 and changes nothing', async () => {
    const test = createTestApp({ webhookSecret: TEST_SECRETS.webhookSecret });
    const tampered = BODY.replace('req-1', 'req-2');
    const cases: Array<[string, Record<string, string>]> = [
      [BODY, {}],
      [BODY, { 'flinks-authenticity-key': signFlinksWebhook(BODY, 'attacker-secret') }],
      [
        tampered,
        { 'flinks-authenticity-key': signFlinksWebhook(BODY, TEST_SECRETS.webhookSecret) },
      ],
      [BODY, { 'flinks-authenticity-key': Buffer.from('x').toString('base64') }],
    ];
    for (const [body, headers] of cases) {
      const response = await post(test, body, headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: { code: 'invalid_signature', recoverable: false },
      });
    }
    await test.flinkit.whenIdle();
    expect(test.engine.ingested).toEqual([]);
  });

  it('verifies the raw body, whitespace included', async () => {
    const test = createTestApp({ webhookSecret: TEST_SECRETS.webhookSecret });
    const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
    const response = await post(test, pretty, {
      'x-flinks-signature': signFlinksWebhook(pretty, TEST_SECRETS.webhookSecret),
    });
    expect(response.status).toBe(200);
  });

  it('answers 200 before a slow engine finishes', async () => {
    const test = createTestApp({ webhookSecret: TEST_SECRETS.webhookSecret });
    let release = () => {};
    test.engine.ingestGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const response = await post(test, BODY, {
      'flinks-authenticity-key': signFlinksWebhook(BODY, TEST_SECRETS.webhookSecret),
    });
    expect(response.status).toBe(200);
    expect(test.engine.ingested).toEqual([]);
    release();
    await test.flinkit.whenIdle();
    expect(test.engine.ingested).toHaveLength(1);
  });

  it('refuses every webhook with 403 webhooks_disabled when no secret is set', async () => {
    const test = createTestApp();
    const response = await post(test, BODY);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: { code: 'webhooks_disabled', recoverable: false },
    });
    await test.flinkit.whenIdle();
    expect(test.engine.ingested).toEqual([]);
  });

  it('takes unsigned bodies only when told to (acceptUnsignedWebhooks)', async () => {
    const test = createTestApp({ acceptUnsignedWebhooks: true });
    expect((await post(test, BODY)).status).toBe(200);
    await test.flinkit.whenIdle();
    expect(test.engine.ingested).toEqual([JSON.parse(BODY)]);
  });

  it('acknowledges a duplicate and logs the outcome', async () => {
    const test = createTestApp({ acceptUnsignedWebhooks: true });
    test.engine.webhookOutcome = 'duplicate';
    expect((await post(test, BODY)).status).toBe(200);
    await test.flinkit.whenIdle();
    expect(test.logs.some((line) => line.includes('"outcome":"duplicate"'))).toBe(true);
  });

  it('logs, and does not throw, when the engine fails after the answer', async () => {
    const test = createTestApp({ acceptUnsignedWebhooks: true });
    test.engine.ingestWebhook = async () => {
      throw new Error('store unavailable');
    };
    expect((await post(test, BODY)).status).toBe(200);
    await test.flinkit.whenIdle();
    expect(
      test.logs.some(
        (line) => line.includes('webhook_failed') && line.includes('store unavailable'),
      ),
    ).toBe(true);
  });

  it('answers malformed JSON with 400 and accepts payloads far over the API body limit', async () => {
    const test = createTestApp({ acceptUnsignedWebhooks: true });
    expect((await post(test, '{oops')).status).toBe(400);
    const large = JSON.stringify({
      ResponseType: 'GetAccountsDetail',
      Accounts: [{ Transactions: 'x'.repeat(200_000) }],
    });
    expect((await post(test, large)).status).toBe(200);
  });

  it('answers 413 above the webhook limit', async () => {
    const test = createTestApp({ webhookBodyLimitBytes: 1024, acceptUnsignedWebhooks: true });
    expect((await post(test, JSON.stringify({ x: 'y'.repeat(2000) }))).status).toBe(413);
  });
});
