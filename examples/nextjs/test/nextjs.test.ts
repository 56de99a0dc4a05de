import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import {
  browserAvailable,
  collectPageErrors,
  launchBrowser,
  linkInConnect,
} from '@flinkit/test-browser';
import { freePort } from '@flinkit/test-postgres';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNext, type NextServer, startNext } from '../scripts/next-server';

const browserReady = browserAvailable('examples/nextjs');
const SESSION_SECRET = randomBytes(32).toString('base64url');
/** The test's own build folder: a `next build` of `.next` may run at the same time. */
const DIST_DIR = '.next-test';

/** A session cookie as the app signs it (lib/session.ts), for requests made outside the browser. */
function sessionCookie(userId: string): string {
  const mac = createHmac('sha256', SESSION_SECRET).update(userId).digest('base64url');
  return `example_session=${encodeURIComponent(`${userId}.${mac}`)}`;
}

describe.skipIf(!browserReady)('examples/nextjs: next build, next start, Chromium', () => {
  let dir = '';
  let simulator: Simulator | undefined;
  let server: NextServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flinkit-nextjs-'));
    const [sim] = await Promise.all([
      startSimulator({ processingMs: 1500 }),
      buildNext({ distDir: DIST_DIR }),
    ]);
    simulator = sim;
    server = await startNext({
      distDir: DIST_DIR,
      port: await freePort(),
      env: {
        FLINKS_API_URL: sim.apiUrl,
        FLINKS_CONNECT_URL: sim.connectUrl,
        FLINKS_CUSTOMER_ID: sim.customerId,
        FLINKS_SECRET_KEY: sim.secretKey,
        FLINKS_API_KEY: sim.apiKey,
        FLINKS_DEMO: 'true',
        FLINKIT_ENCRYPTION_KEYS: `test:${randomBytes(32).toString('base64')}`,
        FLINKIT_DATABASE_URL: `sqlite:${join(dir, 'flinkit.db')}`,
        FLINKIT_POLL_INTERVAL_MS: '200',
        SESSION_SECRET,
      },
    });
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await simulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('signs in, links greatday_nomfa in Connect and shows the accounts', async () => {
    if (!browser || !server || !simulator) throw new Error('setup failed');
    const { secretKey, apiKey } = simulator;
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    const proxyCalls: Array<{ url: string; authorization: string | undefined }> = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/flinkit/')) {
        proxyCalls.push({ url: request.url(), authorization: request.headers().authorization });
      }
    });
    const bodies: Promise<string>[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/api/flinkit/') && !response.url().includes('/events')) {
        bodies.push(response.text().catch(() => ''));
      }
    });

    await page.goto(`${server.url}/`);
    await page.getByLabel('Your name').fill('ada');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByTestId('user').textContent()).toBe('ada');

    await linkInConnect(page.frameLocator('iframe'), 'greatday_nomfa');
    // A status pushed by the proxy over SSE while it polls Flinks (attempt ≥ 1): the stream
    // reaches the browser through Next.js unbuffered, before the retrieval completes.
    await page.getByText(/Retrieving your accounts \(attempt [1-9]/).waitFor({ timeout: 30_000 });
    const rows = page.getByTestId('accounts').locator('tbody tr');
    await rows.first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('status').getAttribute('data-status')).toBe('complete');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.first().textContent()).toMatch(/•••\d+/);

    expect(proxyCalls.some((call) => call.url.includes('/events'))).toBe(true);
    expect(proxyCalls.filter((call) => call.authorization !== undefined)).toEqual([]);
    for (const body of await Promise.all(bodies)) {
      expect(body).not.toContain(secretKey);
      expect(body).not.toContain(apiKey);
    }
    expect(errors).toEqual([]);

    // The proxy files the connection under the session's user, and only theirs.
    const cookies = await page.context().cookies();
    const cookie = cookies.map((item) => `${item.name}=${item.value}`).join('; ');
    const mine = await fetch(`${server.url}/api/flinkit/v1/connections`, { headers: { cookie } });
    expect((await mine.json()).connections).toMatchObject([{ status: 'ready' }]);
    const other = await fetch(`${server.url}/api/flinkit/v1/connections`, {
      headers: { cookie: sessionCookie('grace') },
    });
    expect(await other.json()).toEqual({ connections: [] });
    await page.close();
  }, 90_000);

  it('answers 401 unauthorized without a valid session cookie', async () => {
    if (!server) throw new Error('setup failed');
    const url = `${server.url}/api/flinkit/v1/connections`;
    for (const headers of [{}, { cookie: 'example_session=ada.forged' }]) {
      const response = await fetch(url, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: { code: 'unauthorized', recoverable: true },
      });
    }
    const session = await fetch(`${server.url}/api/flinkit/v1/connect/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(session.status).toBe(401);
  });
});
