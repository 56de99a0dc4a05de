// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, startServer } from '@flinkit/proxy/node';
import { signUserToken } from '@flinkit/proxy/webhooks';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import {
  browserAvailable,
  collectPageErrors,
  launchBrowser,
  signInToConnect,
} from '@flinkit/test-browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built `flinkit.js`, by <script> tag, on a page with a strict CSP, against the real proxy
 * and the simulated Flinks: the customer links `greatday_nomfa` in the iframe.
 */

const browserReady = browserAvailable('widget');

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(PACKAGE, 'dist/flinkit.js');
const NONCE = randomBytes(16).toString('base64');
const USER_SECRET = randomBytes(32).toString('hex');

/** Builds `dist/flinkit.js` when it is missing or older than a source it bundles. */
function ensureBundle(): void {
  const sources = [join(PACKAGE, 'src'), join(PACKAGE, '../core/src')].flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => /\.tsx?$/.test(name) && !name.includes('.test.'))
      .map((name) => statSync(join(dir, name)).mtimeMs),
  );
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= Math.max(...sources)) return;
  execFileSync(
    process.execPath,
    [join(PACKAGE, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.iife.config.ts'],
    { cwd: PACKAGE, stdio: 'pipe' },
  );
}

function page(proxyUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>flinkit widget</title>
<script nonce="${NONCE}">
  // Before flinkit.js: record CSP violations, flinkit events, and window listeners by type.
  window.violations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.flinkitEvents = [];
  for (const type of ['ready', 'linked', 'progress', 'complete', 'error']) {
    document.addEventListener('flinkit:' + type, (e) =>
      flinkitEvents.push({ type: e.type, detail: e.detail }));
  }
  window.liveListeners = {};
  const add = window.addEventListener, remove = window.removeEventListener;
  // Only calls made by flinkit.js count (Playwright's own page scripts add listeners too).
  const count = (type, delta) => {
    if (new Error().stack.includes('/flinkit.js')) {
      liveListeners[type] = (liveListeners[type] || 0) + delta;
    }
  };
  window.addEventListener = function (type, listener, options) {
    count(type, 1);
    return add.call(this, type, listener, options);
  };
  window.removeEventListener = function (type, listener, options) {
    count(type, -1);
    return remove.call(this, type, listener, options);
  };
</script>
<script src="/flinkit.js" nonce="${NONCE}" async></script>
</head><body>
<div id="bank" data-flinkit data-proxy-url="${proxyUrl}" data-token-url="/token"></div>
</body></html>`;
}

describe('flinkit.js', () => {
  it('is one IIFE with the global Flinkit and no eval or new Function (strict CSP)', () => {
    ensureBundle();
    const bundle = readFileSync(BUNDLE, 'utf8');
    expect(bundle.startsWith('var Flinkit=')).toBe(true);
    expect(bundle).not.toMatch(/\beval\s*\(|new\s+Function\b|\bFunction\s*\(/);
    expect(bundle).not.toMatch(/setAttribute\(\s*["']style["']/);
  }, 60_000);
});

describe.skipIf(!browserReady)('flinkit.js in Chromium', () => {
  let simulator: Simulator;
  let proxy: RunningServer;
  let site: Server;
  let siteUrl = '';
  let browser: Browser;
  let dataDir = '';

  beforeAll(async () => {
    ensureBundle();
    const bundle = readFileSync(BUNDLE, 'utf8');
    simulator = await startSimulator({ processingMs: 300 });
    const siteState = { proxyUrl: '' };
    site = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (path === '/flinkit.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      } else if (path === '/token') {
        const token = signUserToken({ userId: 'alice', secret: USER_SECRET });
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ token }));
      } else if (path === '/') {
        response
          .writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': [
              "default-src 'none'",
              `script-src 'self' 'nonce-${NONCE}'`,
              `style-src 'nonce-${NONCE}'`,
              `frame-src ${simulator.url}`,
              `connect-src 'self' ${siteState.proxyUrl}`,
              "base-uri 'none'",
            ].join('; '),
          })
          .end(page(siteState.proxyUrl));
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'flinkit-widget-'));
    proxy = await startServer({
      port: 0,
      flinks: {
        apiUrl: simulator.apiUrl,
        customerId: simulator.customerId,
        secretKey: simulator.secretKey,
        apiKey: simulator.apiKey,
      },
      engineOptions: {
        databaseUrl: `sqlite:${join(dataDir, 'flinkit.db')}`,
        encryptionKeys: [{ id: 'k1', key: randomBytes(32) }],
        pollIntervalMs: 200,
      },
      connect: { url: simulator.connectUrl, demo: true },
      userTokenSecret: USER_SECRET,
      allowedOrigins: [siteUrl],
      logger: { level: 'silent' },
    });
    siteState.proxyUrl = proxy.url;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await simulator?.close();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('links greatday_nomfa under a strict CSP, reports it, and cleans up on destroy()', async () => {
    const tab = await browser.newPage();
    const consoleErrors = collectPageErrors(tab);
    await tab.goto(siteUrl);

    await tab.locator('#bank iframe').waitFor();
    const connect = tab.frameLocator('#bank iframe');
    await connect.getByTestId('consent-accept').click();
    // While Connect is on screen the widget listens to `message` on window (the wrapper sees it).
    const listening = (await tab.evaluate('({ ...liveListeners })')) as Record<string, number>;
    expect(listening.message).toBeGreaterThan(0);
    await signInToConnect(connect, 'greatday_nomfa');

    const status = tab.locator('#bank [role="status"]');
    await status.getByText('Accounts linked').waitFor({ timeout: 30_000 });
    await tab.locator('#bank li').first().waitFor();

    const events = (await tab.evaluate('flinkitEvents')) as Array<{
      type: string;
      detail: unknown;
    }>;
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('flinkit:ready');
    expect(types).toContain('flinkit:progress');
    expect(types.filter((type) => type === 'flinkit:error')).toEqual([]);
    const linked = events.find((event) => event.type === 'flinkit:linked')?.detail;
    expect(linked).toEqual({ loginId: expect.any(String), institution: 'FlinksCapital' });
    const complete = events.find((event) => event.type === 'flinkit:complete')?.detail as {
      connection: { status: string };
      accounts: { view: string; accounts: Array<{ title: string; maskedNumber: string | null }> };
    };
    expect(complete.connection.status).toBe('ready');
    expect(complete.accounts.view).toBe('summary');
    expect(complete.accounts.accounts.length).toBeGreaterThan(0);
    const first = complete.accounts.accounts[0]!;
    const row = (await tab.locator('#bank li').first().textContent()) ?? '';
    expect(row).toContain(first.title);
    if (first.maskedNumber) expect(row).toContain(first.maskedNumber);
    expect(row).toMatch(/-?\$[\d,]+\.\d\d|—/); // en-CA currency format

    // One stylesheet, carrying the nonce of the script tag that loaded flinkit.js.
    expect(await tab.locator('style[data-flinkit-style]').count()).toBe(1);
    expect(await tab.evaluate("document.querySelector('style[data-flinkit-style]').nonce")).toBe(
      NONCE,
    );
    expect(await tab.evaluate('violations')).toEqual([]);
    expect(consoleErrors).toEqual([]);

    await tab.evaluate("Flinkit.getWidget(document.getElementById('bank')).destroy()");
    const after = (await tab.evaluate('({ ...liveListeners })')) as Record<string, number>;
    expect(Object.entries(after).filter(([, count]) => count !== 0)).toEqual([]);
    expect(await tab.locator('#bank *').count()).toBe(0);
    expect(await tab.locator('style').count()).toBe(0);

    // The policy is live: an inline style attribute is refused and reported.
    await tab.evaluate(
      `document.body.insertAdjacentHTML('beforeend', '<p style="color:red">x</p>')`,
    );
    await expect.poll(() => tab.evaluate('violations.length')).toBe(1);
    await tab.close();
  }, 90_000);
});
