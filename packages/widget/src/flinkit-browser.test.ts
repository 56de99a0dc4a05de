// @vitest-environment node
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@flinkit/proxy/node';
import { signUserToken } from '@flinkit/proxy/webhooks';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import {
  browserAvailable,
  collectPageErrors,
  launchBrowser,
  signInToConnect,
} from '@flinkit/test-browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  BUNDLE,
  ensureBundle,
  type Site,
  type SitePage,
  startSite,
} from './test-site';

/**
 * The built `flinkit.js`, by <script> tag, on a page with a strict CSP, against the real proxy
 * and the simulated Flinks: the customer links `greatday_nomfa` in the iframe, inline and in the
 * modal (by keyboard only).
 */

const browserReady = browserAvailable('widget');
const USER_SECRET = randomBytes(32).toString('hex');

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
  let site: Site;
  let browser: Browser;
  let dataDir = '';
  let sitePage: SitePage = { body: '' };

  beforeAll(async () => {
    const bundle = ensureBundle();
    simulator = await startSimulator({ processingMs: 300 });
    const target = { proxyUrl: '' };
    site = await startSite({
      bundle,
      page: () => sitePage,
      frameSrc: () => simulator.url,
      connectSrc: () => target.proxyUrl,
      routes: (_, response, path) => {
        if (path !== '/token') return false;
        const token = signUserToken({ userId: 'alice', secret: USER_SECRET });
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ token }));
        return true;
      },
    });
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
      allowedOrigins: [site.url],
      logger: { level: 'silent' },
    });
    target.proxyUrl = proxy.url;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await simulator?.close();
    await site?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const events = async (tab: Page) =>
    (await tab.evaluate('flinkitEvents')) as Array<{ type: string; detail: unknown }>;

  it('links greatday_nomfa under a strict CSP, reports it, and cleans up on destroy()', async () => {
    sitePage = {
      body: `<main><h1>Bank</h1><div id="bank" data-flinkit data-proxy-url="${proxy.url}" data-token-url="/token"></div></main>`,
    };
    const tab = await browser.newPage();
    const consoleErrors = collectPageErrors(tab);
    await tab.goto(site.url);

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

    const seen = await events(tab);
    const types = seen.map((event) => event.type);
    expect(types[0]).toBe('flinkit:ready');
    expect(types).toContain('flinkit:progress');
    expect(types.filter((type) => type === 'flinkit:error')).toEqual([]);
    const linked = seen.find((event) => event.type === 'flinkit:linked')?.detail;
    expect(linked).toEqual({ loginId: expect.any(String), institution: 'FlinksCapital' });
    const complete = seen.find((event) => event.type === 'flinkit:complete')?.detail as {
      connection: { status: string };
      accounts: { view: string; accounts: Array<{ title: string; maskedNumber: string | null }> };
    };
    expect(complete.connection.status).toBe('ready');
    expect(complete.accounts.view).toBe('summary');
    expect(complete.accounts.accounts.length).toBeGreaterThan(0);
    const first = complete.accounts.accounts[0]!;
    const row = (await tab.locator('#bank li').first().textContent()) ?? '';
    expect(row).toContain(first.title);
    // The simulator's accounts all have numbers: the row shows the masked one.
    expect(first.maskedNumber).toMatch(/^•••\d{4}$/);
    expect(row).toContain(first.maskedNumber);
    expect(row).toMatch(/-?\$[\d,]+\.\d\d|—/); // en-CA currency format

    // One stylesheet, carrying the nonce of the script tag that loaded flinkit.js.
    expect(await tab.locator('style[data-flinkit-style]').count()).toBe(1);
    expect(await tab.evaluate("document.querySelector('style[data-flinkit-style]').nonce")).toBe(
      site.nonce,
    );
    expect(await tab.evaluate('violations')).toEqual([]);
    expect(consoleErrors).toEqual([]);

    await tab.evaluate("Flinkit.getWidget(document.getElementById('bank')).destroy()");
    const after = (await tab.evaluate('({ ...liveListeners })')) as Record<string, number>;
    expect(Object.entries(after).filter(([, count]) => count !== 0)).toEqual([]);
    expect(await tab.locator('#bank *').count()).toBe(0);
    expect(await tab.locator('style[data-flinkit-style]').count()).toBe(0);

    // The policy is live: an inline style attribute is refused and reported.
    await tab.evaluate(
      `document.body.insertAdjacentHTML('beforeend', '<p style="color:red">x</p>')`,
    );
    await expect.poll(() => tab.evaluate('violations.length')).toBe(1);
    await tab.close();
  }, 90_000);

  it('walks the modal by keyboard only: open, link greatday_nomfa, complete, Esc', async () => {
    sitePage = {
      body: `<main><h1>Bank</h1><button type="button" id="before">Before</button>
<div id="bank" data-flinkit data-mode="modal" data-proxy-url="${proxy.url}" data-token-url="/token"></div>
<button type="button" id="after">After</button></main>`,
    };
    const tab = await browser.newPage();
    const consoleErrors = collectPageErrors(tab);
    await tab.goto(site.url);
    const launcher = tab.getByRole('button', { name: 'Link your bank account' });
    await launcher.waitFor();
    const focused = () =>
      tab.evaluate(() => {
        const element = document.activeElement;
        return element?.id || element?.getAttribute('aria-label') || element?.tagName || '';
      });
    const inDialog = () => tab.evaluate(() => !!document.activeElement?.closest('dialog'));

    await tab.keyboard.press('Tab');
    expect(await focused()).toBe('before');
    await tab.keyboard.press('Tab');
    expect(await launcher.evaluate((element) => element === document.activeElement)).toBe(true);
    await tab.keyboard.press('Enter');

    const dialog = tab.getByRole('dialog', { name: 'Link your bank account' });
    await dialog.waitFor();
    expect(await focused()).toBe('Close');
    // Connect is on screen before the key goes to it, as it is for a person: a Tab pressed while
    // the iframe still loads lands wherever the page ends up focusing (a race, not a behaviour).
    await tab.locator('dialog iframe').waitFor();
    const frame = tab.frameLocator('dialog iframe');
    await frame.getByTestId('consent-accept').waitFor();
    await tab.keyboard.press('Tab');
    const inFrame = (testId: string) =>
      expect
        .poll(() =>
          frame.locator(':focus').evaluate((element) => element.getAttribute('data-testid'), null, {
            timeout: 2_000,
          }),
        )
        .toBe(testId);

    // Close → into Connect: its consent button first.
    await expect.poll(focused).toBe('IFRAME');
    await inFrame('consent-accept');
    await tab.keyboard.press('Enter');
    await inFrame('institution-search');
    await tab.keyboard.type('Flinks');
    await tab.keyboard.press('Tab');
    await inFrame('institution-FlinksCapital');
    await tab.keyboard.press('Enter');
    await inFrame('username');
    await tab.keyboard.type('greatday_nomfa');
    await tab.keyboard.press('Tab');
    await inFrame('password');
    await tab.keyboard.type('Everyday');
    await tab.keyboard.press('Enter');

    // Linked: the iframe goes, and the focus it had lands on the status inside the dialog.
    await dialog.getByText('Accounts linked').waitFor({ timeout: 30_000 });
    expect(await inDialog()).toBe(true);
    expect(await tab.locator('dialog iframe').count()).toBe(0);
    // Trapped: Tab and Shift+Tab never reach the page behind (the launcher included). Past either
    // end of a modal dialog the browser's own UI takes the focus, then the dialog again.
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await tab.keyboard.press(key);
      expect(['before', 'after', 'bank']).not.toContain(await focused());
      expect(await launcher.evaluate((element) => element === document.activeElement)).toBe(false);
    }
    expect(await axeViolations(tab)).toEqual([]);

    await tab.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await launcher.evaluate((element) => element === document.activeElement)).toBe(true);
    const types = (await events(tab)).map((event) => event.type);
    expect(types).toContain('flinkit:complete');
    // Closing after the link is no exit.
    expect(types).not.toContain('flinkit:exit');
    expect(await tab.evaluate('violations')).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await tab.close();
  }, 90_000);
});
