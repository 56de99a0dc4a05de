import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECURITY_QUESTIONS } from '@flinkit/simulator';
import {
  answerMfa,
  browserAvailable,
  collectPageErrors,
  launchBrowser,
  linkInConnect,
} from '@flinkit/test-browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildPages } from './build-pages';
import { type Playground, startPlayground } from './playground';
import { saveScreenshot } from './test-screenshot';

const browserReady = browserAvailable('playground');
const LINK_TIMEOUT = 30_000;

describe.skipIf(!browserReady)('the playground in Chromium', () => {
  let workDir: string;
  let pagesDir: string;
  let browser: Browser;
  let playground: Playground;
  const opened: Array<{ page: Page; errors: string[] }> = [];

  const start = (dataDir: string, pollIntervalMs = 200) =>
    startPlayground({
      dataDir,
      ports: 0,
      pagesDir,
      pollIntervalMs,
      processingMs: 400,
      env: {},
    });

  async function open(
    path: string,
    base = playground.url,
  ): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    opened.push({ page, errors });
    await page.goto(new URL(path, base).href);
    return { page, errors };
  }

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'flinkit-playground-'));
    pagesDir = join(workDir, 'pages');
    // One build per file: the pages are static, every playground below serves the same folder.
    const [, launched, started] = await Promise.all([
      buildPages({ outDir: pagesDir, widget: 'source' }),
      launchBrowser(),
      mkdtemp(join(workDir, 'data-')).then((dataDir) => start(dataDir)),
    ]);
    browser = launched;
    playground = started;
  });

  afterEach(async () => {
    for (const { page, errors } of opened.splice(0)) {
      await page.close();
      expect(errors, 'console errors on the page').toEqual([]);
    }
  });

  afterAll(async () => {
    await playground?.close();
    await browser?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('links greatday_nomfa in the React demo and shows the accounts with a balance chart', async () => {
    const { page } = await open('/react/');
    await linkInConnect(page.frameLocator('iframe.connect-frame'), 'greatday_nomfa');
    await page.getByTestId('accounts').waitFor({ timeout: LINK_TIMEOUT });
    expect(await page.getByTestId('flow-status').textContent()).toContain('complete');
    expect(await page.getByTestId('account').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('balance-chart').count()).toBeGreaterThan(0);
    // The full account number never reaches the screen, only its last digits.
    expect(await page.getByTestId('account').first().locator('h3').textContent()).toMatch(
      /•••\d{4}/,
    );
    const events = await page.getByTestId('event-log').textContent();
    expect(events).toContain('REDIRECT');
    await saveScreenshot(page, 'react-greatday-nomfa');
  });

  it('links Greatday after answering the security questions', async () => {
    const { page } = await open('/react/');
    const frame = page.frameLocator('iframe.connect-frame');
    await linkInConnect(frame, 'Greatday');
    expect(await answerMfa(frame, SECURITY_QUESTIONS)).toBeGreaterThan(0);
    await page.getByTestId('accounts').waitFor({ timeout: LINK_TIMEOUT });
    expect(await page.getByTestId('flow-status').textContent()).toContain('complete');
    expect(await page.getByTestId('event-log').textContent()).toContain('SUBMIT_MFA');
    await saveScreenshot(page, 'react-greatday-mfa');
  });

  it('shows a clear error for test_disabled_account, and Retry brings Connect back', async () => {
    const { page } = await open('/react/');
    await linkInConnect(page.frameLocator('iframe.connect-frame'), 'test_disabled_account');
    const alert = page.getByTestId('flow-error');
    await alert.waitFor({ timeout: LINK_TIMEOUT });
    expect(await alert.textContent()).toContain('DISABLED_LOGIN');
    await saveScreenshot(page, 'react-disabled-error');

    await page.getByRole('button', { name: 'Retry' }).click();
    await linkInConnect(page.frameLocator('iframe.connect-frame'), 'greatday_nomfa');
    await page.getByTestId('accounts').waitFor({ timeout: LINK_TIMEOUT });
    expect(await page.getByTestId('flow-error').count()).toBe(0);
    await saveScreenshot(page, 'react-retry-complete');
  });

  it('runs the script-tag widget and logs flinkit:complete', async () => {
    const { page } = await open('/script-tag.html');
    await linkInConnect(page.frameLocator('#widget iframe'), 'greatday_nomfa');
    const complete = page.locator('#event-log li[data-type="flinkit:complete"]');
    await complete.waitFor({ timeout: LINK_TIMEOUT });
    const log = await page.getByTestId('event-log').textContent();
    expect(log).toContain('flinkit:linked');
    expect(await complete.textContent()).toContain('status: ready');
    await saveScreenshot(page, 'script-tag-complete');
  });

  it('runs the script-tag widget in modal mode, and logs the exit of a dialog closed early', async () => {
    const { page } = await open('/script-tag.html');
    const launcher = page.getByRole('button', { name: 'Link your bank' });
    await launcher.click();
    const dialog = page.getByRole('dialog', { name: 'Link your bank' });
    await dialog.locator('iframe').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.locator('#event-log li[data-type="flinkit:exit"]').waitFor();
    // The focus is back on the launcher.
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Link your bank');

    await launcher.click();
    await linkInConnect(dialog.frameLocator('iframe'), 'greatday_nomfa');
    await dialog.getByText('Accounts linked').waitFor({ timeout: LINK_TIMEOUT });
    const complete = page.locator('#event-log li[data-type="flinkit:complete"]');
    expect(await complete.textContent()).toContain('(modal) status: ready');
    await saveScreenshot(page, 'script-tag-modal-complete');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('keeps connections and their data across a restart on the same data directory', async () => {
    const dataDir = await mkdtemp(join(workDir, 'restart-'));
    let first: Playground | null = await start(dataDir);
    let titles: string[] = [];
    try {
      expect(first.firstRun).toBe(true);
      const { page } = await open('/react/', first.url);
      await linkInConnect(page.frameLocator('iframe.connect-frame'), 'greatday_nomfa');
      await page.getByTestId('accounts').waitFor({ timeout: LINK_TIMEOUT });
      titles = (await page.getByTestId('account').locator('h3').allTextContents()).map((title) =>
        title.replace(/\s*•••\d{4}$/, '').trim(),
      );
      expect(titles.length).toBeGreaterThan(0);
    } finally {
      await first.close();
      first = null;
    }

    const second = await start(dataDir);
    try {
      expect(second.firstRun).toBe(false);
      const { page } = await open('/', second.url);
      const row = page.getByTestId('connection');
      await row.first().waitFor({ timeout: LINK_TIMEOUT });
      expect(await row.count()).toBe(1);
      await page.locator('.account-summary li').first().waitFor({ timeout: LINK_TIMEOUT });
      const summary = await row.first().textContent();
      expect(summary).toContain('Accounts retrieved');
      for (const title of titles) expect(summary).toContain(title);
      await saveScreenshot(page, 'index-after-restart');

      await page.getByRole('link', { name: 'View accounts' }).click();
      await page.getByTestId('accounts').waitFor({ timeout: LINK_TIMEOUT });
      expect(await page.getByTestId('balance-chart').count()).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });

  it("completes through the simulator's signed webhook, long before the proxy would poll again", async () => {
    // A one-minute poll interval: only the webhook (signed with the generated secret and
    // verified by the proxy) can finish the retrieval within the wait below.
    const slow = await start(await mkdtemp(join(workDir, 'webhook-')), 60_000);
    try {
      const { page } = await open('/react/', slow.url);
      await linkInConnect(page.frameLocator('iframe.connect-frame'), 'greatday_nomfa');
      await page.getByTestId('accounts').waitFor({ timeout: LINK_TIMEOUT });
      expect(await page.getByTestId('account').count()).toBeGreaterThan(0);
    } finally {
      await slow.close();
    }
  });
});
