import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type AccountsDetailEvent, verifyForwardedWebhook } from '../base/forward-webhook';
import { createForwardDeliverer } from './forward';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const NOW = Date.parse('2026-04-01T08:00:00Z');
const DELIVERY: AccountsDetailEvent = {
  deliveryId: 'dlv_1',
  userId: 'alice',
  connectionId: 'conn_1',
  retrievalId: 'ret_1',
  payload: { HttpStatusCode: 200, Accounts: [{ Id: 'a1' }] },
  completedAt: '2026-04-01T07:59:59.000Z',
};

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A receiver on a real socket that answers `status` and records what it got. */
async function receiver(status: number) {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/flinkit`,
    received,
  };
}

describe('createForwardDeliverer', () => {
  it('POSTs the completion signed per Standard Webhooks, verifiable by the receiver', async () => {
    const target = await receiver(204);
    const deliver = createForwardDeliverer({ url: target.url, secret: SECRET, now: () => NOW });
    await deliver(DELIVERY);
    const [request] = target.received;
    expect(request?.headers['webhook-id']).toBe('dlv_1');
    expect(request?.headers['webhook-timestamp']).toBe(String(NOW / 1000));
    const event = verifyForwardedWebhook({
      body: request?.body ?? '',
      headers: request?.headers ?? {},
      secret: SECRET,
      now: () => NOW,
    });
    expect(event).toEqual({
      type: 'accounts_detail.ready',
      timestamp: DELIVERY.completedAt,
      data: {
        deliveryId: 'dlv_1',
        userId: 'alice',
        connectionId: 'conn_1',
        retrievalId: 'ret_1',
        completedAt: DELIVERY.completedAt,
        payload: DELIVERY.payload,
      },
    });
  });

  it('throws on a non-2xx answer so the outbox retries', async () => {
    const target = await receiver(500);
    const deliver = createForwardDeliverer({ url: target.url, secret: SECRET });
    await expect(deliver(DELIVERY)).rejects.toMatchObject({
      code: 'forward_failed',
      recoverable: true,
    });
    expect(target.received).toHaveLength(1);
  });

  it('throws when the receiver cannot be reached', async () => {
    const target = await receiver(200);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const deliver = createForwardDeliverer({ url: target.url, secret: SECRET });
    await expect(deliver(DELIVERY)).rejects.toMatchObject({ code: 'forward_failed' });
  });

  it('refuses a secret that is too short', () => {
    expect(() => createForwardDeliverer({ url: 'http://x', secret: 'whsec_c2hvcnQ=' })).toThrow(
      /16 bytes/,
    );
  });
});
