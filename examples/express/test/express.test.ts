import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FlinkitApp, signFlinksWebhook } from '@flinkit/proxy';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import {
  browserAvailable,
  collectPageErrors,
  launchBrowser,
  linkInConnect,
} from '@flinkit/test-browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { flinkitConfigFromEnv } from '../src/config';

const browserReady = browserAvailable('examples/express');
const WEBHOOK_SECRET = randomBytes(16).toString('hex');

/** Signs in as `name` over HTTP and returns the session cookie (`name=value`). */
async function signIn(base: string, name: string): Promise<string> {
  const response = await fetch(`${base}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name }),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe.skipIf(!browserReady)('examples/express: real HTTP and Chromium', () => {
  let dir = '';
  let simulator: Simulator | undefined;
  let flinkit: FlinkitApp | undefined;
  let server: Server | undefined;
  let base = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flinkit-express-'));
    simulator = await startSimulator({ processingMs: 1500 });
    const created = createApp({
      flinkit: {
        ...flinkitConfigFromEnv({
          FLINKS_API_URL: simulator.apiUrl,
          FLINKS_CONNECT_URL: simulator.connectUrl,
          FLINKS_CUSTOMER_ID: simulator.customerId,
          FLINKS_SECRET_KEY: simulator.secretKey,
          FLINKS_API_KEY: simulator.apiKey,
          FLINKS_DEMO: 'true',
          FLINKS_WEBHOOK_SECRET: WEBHOOK_SECRET,
          FLINKIT_ENCRYPTION_KEYS: `test:${randomBytes(32).toString('base64')}`,
          FLINKIT_DATABASE_URL: `sqlite:${join(dir, 'flinkit.db')}`,
          FLINKIT_POLL_INTERVAL_MS: '200',
        }),
        logger: { level: 'silent' },
      },
      sessionSecret: randomBytes(32).toString('hex'),
    });
    flinkit = created.flinkit;
    await flinkit.ready;
    const listening = created.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
    server = listening;
    base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await flinkit?.close();
    await simulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('signs in, links greatday_nomfa through the script-tag widget and shows the accounts', async () => {
    if (!browser || !simulator) throw new Error('setup failed');
    const { secretKey, apiKey } = simulator;
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    const proxyCalls: Array<string | undefined> = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${base}/flinkit/`)) {
        proxyCalls.push(request.headers().authorization);
      }
    });
    const bodies: Promise<string>[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(`${base}/flinkit/v1/`) && !response.url().includes('/events')) {
        bodies.push(response.text().catch(() => ''));
      }
    });

    await page.goto(`${base}/`);
    await page.getByLabel('Your name').fill('ada');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByTestId('user').textContent()).toBe('ada');
    const completed = page.evaluate(
      () =>
        new Promise<{ connection: { status: string }; accounts: unknown }>((resolve, reject) => {
          setTimeout(() => reject(new Error('no flinkit:complete within 30 s')), 30_000);
          document.addEventListener('flinkit:complete', (event) =>
            resolve((event as CustomEvent).detail),
          );
        }),
    );

    await linkInConnect(page.frameLocator('[data-flinkit] iframe'), 'greatday_nomfa');
    const detail = await completed;
    expect(detail.connection.status).toBe('ready');
    const { accounts } = detail.accounts as { accounts: Array<{ title: string }> };
    expect(accounts.length).toBeGreaterThan(0);
    // The widget's summary on the page names each account.
    const widget = page.locator('[data-flinkit]');
    await widget.getByText(accounts[0]!.title).first().waitFor();

    expect(proxyCalls.length).toBeGreaterThan(2);
    expect(proxyCalls.filter((authorization) => authorization !== undefined)).toEqual([]);
    for (const body of await Promise.all(bodies)) {
      expect(body).not.toContain(secretKey);
      expect(body).not.toContain(apiKey);
    }
    expect(errors).toEqual([]);

    // The proxy files the connection under the session's user, and only theirs.
    const cookies = await page.context().cookies();
    const cookie = cookies.map((item) => `${item.name}=${item.value}`).join('; ');
    const mine = await fetch(`${base}/flinkit/v1/connections`, { headers: { cookie } });
    expect((await mine.json()).connections).toMatchObject([{ status: 'ready' }]);
    const grace = await signIn(base, 'grace');
    const other = await fetch(`${base}/flinkit/v1/connections`, { headers: { cookie: grace } });
    expect(await other.json()).toEqual({ connections: [] });
    await page.close();
  }, 90_000);

  it('answers 401 unauthorized without a session, and after sign-out', async () => {
    const anonymous = await fetch(`${base}/flinkit/v1/connections`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      error: { code: 'unauthorized', recoverable: true },
    });
    const cookie = await signIn(base, 'ada');
    expect((await fetch(`${base}/flinkit/v1/connections`, { headers: { cookie } })).status).toBe(
      200,
    );
    await fetch(`${base}/sign-out`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect((await fetch(`${base}/flinkit/v1/connections`, { headers: { cookie } })).status).toBe(
      401,
    );
  });

  it('hands the webhook route the raw body (the proxy is mounted before any body parser)', async () => {
    const body = JSON.stringify({ ResponseType: 'GetAccountsDetail', RequestId: 'unknown' });
    const post = (signature: string) =>
      fetch(`${base}/flinkit/v1/webhooks/flinks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'flinks-authenticity-key': signature },
        body,
      });
    expect((await post(signFlinksWebhook(body, WEBHOOK_SECRET))).status).toBe(200);
    const forged = await post(signFlinksWebhook(body, 'another-secret'));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: 'invalid_signature' } });
  });

  it('serves the widget and the page under a strict Content-Security-Policy', async () => {
    const script = await fetch(`${base}/flinkit.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('Flinkit');
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-security-policy')).toMatch(
      /script-src 'self'; style-src 'nonce-/,
    );
  });
});
