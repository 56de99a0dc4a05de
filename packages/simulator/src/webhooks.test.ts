import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { type Simulator, startSimulator } from './simulator.js';
import { signWebhookBody } from './webhooks.js';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
}

/** A receiver that answers the given statuses in turn (then 200). */
async function startReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, raw: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Verifies with Node's crypto from the documented rule alone: Base64 HMAC-SHA256 of the raw body. */
function verify(raw: string, signature: string | undefined, secret: string): boolean {
  const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('base64'));
  const given = Buffer.from(signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhooks', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(statuses: number[], header?: 'X-Flinks-Signature') {
    const receiver = await startReceiver(statuses);
    const clock = createManualClock();
    const sim = await startSimulator({
      clock,
      processingMs: 2_000,
      webhook: {
        url: receiver.url,
        secret: 'whsec',
        attempts: 3,
        spacingMs: 60_000,
        ...(header ? { header } : {}),
      },
    });
    cleanups.push(receiver.close, sim.close);
    return { receiver, clock, sim };
  }

  async function authorize(sim: Simulator, body: Record<string, unknown>) {
    const base = `${sim.url}/v3/${sim.customerId}/BankingServices`;
    const { Token } = (await (
      await fetch(`${base}/GenerateAuthorizeToken`, {
        method: 'POST',
        headers: { 'flinks-auth-key': sim.secretKey },
      })
    ).json()) as { Token: string };
    const response = await fetch(`${base}/Authorize`, {
      method: 'POST',
      headers: { 'flinks-auth-key': Token },
      body: JSON.stringify(body),
    });
    return ((await response.json()) as { RequestId: string }).RequestId;
  }

  it('posts the signed GetAccountsDetail payload when processing completes on the clock', async () => {
    const { receiver, clock, sim } = await setup([]);
    const loginId = sim.createLogin('greatday_nomfa');
    const requestId = await authorize(sim, {
      LoginId: loginId,
      MostRecentCached: true,
      Tag: 'order-42',
    });
    clock.advance(1_999);
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(0);
    clock.advance(1);
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    const [hook] = receiver.received;
    expect(
      verify(hook?.raw ?? '', hook?.headers['flinks-authenticity-key'] as string, 'whsec'),
    ).toBe(true);
    expect(
      verify(hook?.raw ?? '', hook?.headers['flinks-authenticity-key'] as string, 'other'),
    ).toBe(false);
    expect(JSON.parse(hook?.raw ?? '{}')).toMatchObject({
      ResponseType: 'GetAccountsDetail',
      HttpStatusCode: 200,
      RequestId: requestId,
      Tag: 'order-42',
      Login: { Id: loginId },
      Accounts: expect.any(Array),
    });
  });

  it('carries every account even after a GetAccountsDetail with AccountsFilter', async () => {
    const { receiver, clock, sim } = await setup([]);
    const requestId = await authorize(sim, {
      LoginId: sim.createLogin('greatday_nomfa'),
      MostRecentCached: true,
    });
    const detail = await fetch(
      `${sim.url}/v3/${sim.customerId}/BankingServices/GetAccountsDetail`,
      {
        method: 'POST',
        headers: { 'x-api-key': sim.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ RequestId: requestId, AccountsFilter: ['none-such'] }),
      },
    );
    expect(detail.status).toBe(202);
    clock.advance(2_000);
    await sim.webhooksIdle();
    expect(JSON.parse(receiver.received[0]?.raw ?? '{}').Accounts).toHaveLength(3);
    const answer = await fetch(
      `${sim.url}/v3/${sim.customerId}/BankingServices/GetAccountsDetailAsync/${requestId}`,
      { headers: { 'x-api-key': sim.apiKey } },
    );
    expect(((await answer.json()) as { Accounts: unknown[] }).Accounts).toHaveLength(0);
  });

  it('retries on non-200 answers, spaced on the clock, up to the attempt limit', async () => {
    const { receiver, clock, sim } = await setup([500, 503, 500]);
    await authorize(sim, { LoginId: sim.createLogin('greatday_nomfa'), MostRecentCached: true });
    clock.advance(2_000);
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    clock.advance(59_999);
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    clock.advance(1);
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(2);
    clock.advance(60_000);
    await sim.webhooksIdle();
    clock.advance(60_000);
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((hook) => hook.raw)).size).toBe(1);
  });

  it('stops retrying once the receiver answers 200', async () => {
    const { receiver, clock, sim } = await setup([500]);
    await authorize(sim, { LoginId: sim.createLogin('greatday_nomfa'), MostRecentCached: true });
    clock.advance(2_000);
    await sim.webhooksIdle();
    clock.advance(60_000);
    await sim.webhooksIdle();
    clock.advance(120_000);
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(2);
  });

  it('signs in X-Flinks-Signature when selected, and sends on demand with sendWebhook', async () => {
    const { receiver, sim } = await setup([], 'X-Flinks-Signature');
    const requestId = await authorize(sim, {
      LoginId: sim.createLogin('test_pending'),
      MostRecentCached: true,
    });
    expect(await sim.sendWebhook(requestId)).toEqual({ delivered: true, attempts: 1 });
    const [hook] = receiver.received;
    expect(hook?.headers['flinks-authenticity-key']).toBeUndefined();
    expect(verify(hook?.raw ?? '', hook?.headers['x-flinks-signature'] as string, 'whsec')).toBe(
      true,
    );
  });

  it('signWebhookBody is Base64 HMAC-SHA256 of the raw body', () => {
    expect(signWebhookBody('{"a":1}', 'key')).toBe(
      createHmac('sha256', 'key').update('{"a":1}').digest('base64'),
    );
  });
});
