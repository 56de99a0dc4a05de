import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signStandardWebhook, signUserToken, verifyUserToken } from '@flinkit/proxy/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForwardReceiver, type ForwardedDelivery } from './forward-receiver';
import { type PagesServer, resolveStaticPath, startPagesServer } from './pages-server';

const TOKEN_SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const FORWARD_SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

describe('startPagesServer', () => {
  let root: string;
  let server: PagesServer;
  const deliveries: ForwardedDelivery[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'flinkit-pages-'));
    await mkdir(join(root, 'react'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<p>index</p>');
    await writeFile(join(root, 'react', 'index.html'), '<p>react</p>');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(
      join(root, 'widget.html'),
      '<div data-proxy-url="{{proxyUrl}}" data-nonce="{{nonce}}"></div>',
    );
    await writeFile(join(tmpdir(), 'flinkit-outside.txt'), 'secret');
    server = await startPagesServer({
      root,
      port: 0,
      config: () => ({ proxyUrl: 'http://127.0.0.1:8701', connectOrigin: 'http://127.0.0.1:8700' }),
      signToken: () => signUserToken({ userId: 'demo-user', ttlSeconds: 60, secret: TOKEN_SECRET }),
      onForward: createForwardReceiver(FORWARD_SECRET, (delivery) => deliveries.push(delivery)),
    });
  });

  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('mints a token for demo-user that the proxy accepts', async () => {
    const response = await fetch(`${server.url}/api/token`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { token } = (await response.json()) as { token: string };
    expect(verifyUserToken(token, TOKEN_SECRET)).toMatchObject({ userId: 'demo-user' });
  });

  it('tells the pages where the proxy is', async () => {
    const response = await fetch(`${server.url}/api/config`);
    expect(await response.json()).toEqual({ proxyUrl: 'http://127.0.0.1:8701' });
  });

  it('serves folders as their index.html', async () => {
    expect(await (await fetch(`${server.url}/`)).text()).toBe('<p>index</p>');
    expect(await (await fetch(`${server.url}/react/`)).text()).toBe('<p>react</p>');
    expect(await (await fetch(`${server.url}/react`)).text()).toBe('<p>react</p>');
    const script = await fetch(`${server.url}/assets/app.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
  });

  it('sends a strict CSP with a fresh nonce and fills the placeholders', async () => {
    const first = await fetch(`${server.url}/widget.html`);
    const policy = first.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain('frame-src http://127.0.0.1:8700');
    expect(policy).toContain("connect-src 'self' http://127.0.0.1:8701");
    expect(policy).not.toContain('unsafe-inline');
    expect(await first.text()).toBe(
      `<div data-proxy-url="http://127.0.0.1:8701" data-nonce="${nonce}"></div>`,
    );
    const second = await fetch(`${server.url}/widget.html`);
    expect(second.headers.get('content-security-policy')).not.toContain(`nonce-${nonce}`);
  });

  it('never serves a file outside its folder', async () => {
    for (const path of ['/../flinkit-outside.txt', '/%2e%2e/flinkit-outside.txt', '/%00']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('secret');
    }
    // `..` cannot climb above the root: it is resolved against it.
    expect(resolveStaticPath('/srv/pages', '/../etc/passwd')).toBe('/srv/pages/etc/passwd');
    expect(resolveStaticPath('/srv/pages', '/..%2F..%2Fetc/passwd')).toBe('/srv/pages/etc/passwd');
    expect(resolveStaticPath('/srv/pages', '/%E0%A4%A')).toBeNull();
  });

  it('answers 404 and 405 with a JSON error body', async () => {
    const missing = await fetch(`${server.url}/nope.html`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const post = await fetch(`${server.url}/api/token`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(await post.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('accepts a forwarded payload signed by the proxy once, and rejects a forged one', async () => {
    const body = JSON.stringify({
      type: 'accounts_detail.ready',
      timestamp: new Date().toISOString(),
      data: {
        deliveryId: 'delivery-1',
        userId: 'demo-user',
        connectionId: 'connection-1',
        retrievalId: 'retrieval-1',
        completedAt: new Date().toISOString(),
        payload: { Accounts: [{ Id: 'a' }, { Id: 'b' }] },
      },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'webhook-id': 'delivery-1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook('delivery-1', timestamp, body, FORWARD_SECRET),
    };
    const url = `${server.url}/api/webhooks/flinkit`;
    expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(200);
    expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(200);
    expect(deliveries).toEqual([
      { id: 'delivery-1', connectionId: 'connection-1', accountCount: 2 },
    ]);

    const forged = body.replace('connection-1', 'connection-2');
    expect((await fetch(url, { method: 'POST', headers, body: forged })).status).toBe(401);
    expect(deliveries).toHaveLength(1);
  });
});
