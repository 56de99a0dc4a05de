// @vitest-environment node
import { type Simulator, startSimulator } from '@flinkit/simulator';
import {
  browserAvailable,
  collectPageErrors,
  launchBrowser,
  signInToConnect,
} from '@flinkit/test-browser';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedProxy, type ScriptedProxy } from './test-scripted-proxy';
import {
  axeViolations,
  ensureBundle,
  type Site,
  type SitePage,
  screenshot,
  startSite,
} from './test-site';

/**
 * Every state of the built `flinkit.js`, inline and in the modal, in Chromium under a strict CSP:
 * the proxy is scripted (so each state can be held on screen) and Connect is the simulator's.
 * In each state, light and dark: a screenshot in `.artifacts/` and axe-core with no violation.
 */

const browserReady = browserAvailable('widget states');
const STALE = {
  code: 'reconnect_required',
  message: 'Ask the customer to reconnect.',
  recoverable: true,
  flinksCode: 'QUESTION_NOT_FOUND',
};

describe.skipIf(!browserReady)('flinkit.js states in Chromium', () => {
  let simulator: Simulator;
  let proxy: ScriptedProxy;
  let site: Site;
  let browser: Browser;
  let sitePage: SitePage = { body: '' };

  beforeAll(async () => {
    const bundle = ensureBundle();
    simulator = await startSimulator();
    proxy = createScriptedProxy(simulator);
    site = await startSite({
      bundle,
      page: () => sitePage,
      frameSrc: () => simulator.url,
      routes: (request, response, path) => proxy.routes(request, response, path),
    });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    proxy?.close();
    await browser?.close();
    await site?.close();
    await simulator?.close();
  });

  /** Screenshot and axe run of the current state, in the light and the dark scheme. */
  async function capture(tab: Page, name: string): Promise<void> {
    for (const colorScheme of ['light', 'dark'] as const) {
      await tab.emulateMedia({ colorScheme });
      await screenshot(tab, `${name}-${colorScheme}`);
      expect(await axeViolations(tab), `${name}, ${colorScheme}`).toEqual([]);
    }
    await tab.emulateMedia({ colorScheme: 'light' });
  }

  it.each(['inline', 'modal'] as const)(
    'renders every state %s, accessible in light and dark, and leaves nothing behind',
    async (mode) => {
      sitePage = {
        css: '@media (prefers-color-scheme:dark){body{background:#030712;color:#e5e7eb}}',
        body: `<main><h1>Link a bank</h1><p>Your bank data is retrieved by our proxy.</p><div id="bank" data-flinkit data-proxy-url="/proxy" data-mode="${mode}"></div></main>`,
      };
      proxy.set({ status: 'pending', attempt: 0, nextPollAt: null, error: null, stale: null });
      proxy.hold('sessions');
      const tab = await browser.newPage({ viewport: { width: 720, height: 900 } });
      const consoleErrors = collectPageErrors(tab);
      await tab.goto(site.url);
      const widget: Locator = tab.locator(mode === 'modal' ? 'dialog' : '#bank');
      const status = widget.getByRole('status');
      const open = async () => {
        if (mode === 'modal')
          await tab.getByRole('button', { name: 'Link your bank account' }).click();
      };
      const frame: FrameLocator = widget.frameLocator('iframe');
      await open();

      await status.getByText('Connecting securely…').waitFor();
      await capture(tab, `${mode}-loading`);

      proxy.release('sessions');
      await frame.getByTestId('consent-accept').click();
      await frame.getByTestId('institution-FlinksCapital').waitFor();
      await capture(tab, `${mode}-linking`);

      proxy.hold('connections');
      await signInToConnect(frame, 'greatday_nomfa');
      await status.getByText('Bank linked. Getting your accounts…').waitFor();
      await capture(tab, `${mode}-linked`);

      const nextPollAt = new Date(Date.now() + 60_000).toISOString();
      proxy.set({ status: 'processing', attempt: 2, nextPollAt });
      proxy.release('connections');
      await status.getByText(/^Attempt 2 · next check in \d+ s$/).waitFor();
      await capture(tab, `${mode}-retrieving`);

      proxy.set({
        status: 'failed',
        nextPollAt: null,
        error: {
          code: 'flinks_error',
          message: 'Retry later.',
          recoverable: true,
          flinksCode: 'RETRY_LATER',
        },
      });
      await status.getByText('We could not link your bank.').waitFor();
      await capture(tab, `${mode}-error`);

      // Try again: the proxy refreshes the retrieval; Flinks answers from its cache, stale.
      await status.getByRole('button', { name: 'Try again' }).click();
      await status.getByText('Getting your accounts…').waitFor();
      proxy.set({ status: 'ready', attempt: 2, error: null, stale: STALE });
      await status.getByRole('button', { name: 'Reconnect' }).waitFor();
      expect(await status.getByRole('listitem').count()).toBe(2);
      await capture(tab, `${mode}-reconnect`);

      // Reconnect: a new Connect session, which the customer closes with Connect's own ×.
      proxy.set({ stale: null });
      await status.getByRole('button', { name: 'Reconnect' }).click();
      await frame.getByTestId('close').click();
      if (mode === 'inline') {
        await status.getByText('Connect was closed.').waitFor();
      } else {
        // Connect's close ends the modal like the widget's own, with an exit.
        await tab.locator('dialog').waitFor({ state: 'detached' });
        const exit = (await tab.evaluate(
          "flinkitEvents.filter((e) => e.type === 'flinkit:exit').map((e) => e.detail)",
        )) as unknown[];
        expect(exit).toEqual([
          { step: 'COMPONENT_CLOSE_SESSION', status: 'closed', institution: null, error: null },
        ]);
      }
      await capture(tab, `${mode}-closed`);

      // Again, to the end: the proxy has the accounts at once.
      if (mode === 'inline') await status.getByRole('button', { name: 'Try again' }).click();
      else await open();
      await frame.getByTestId('consent-accept').click();
      await signInToConnect(frame, 'greatday_nomfa');
      await status.getByText('Accounts linked').waitFor();
      expect(await status.getByRole('listitem').allTextContents()).toEqual([
        'Chequing Account •••1238$5,105.50',
        'Visa—',
      ]);
      await capture(tab, `${mode}-complete`);
      if (mode === 'modal') {
        await status.getByRole('button', { name: 'Done' }).click();
        await tab.locator('dialog').waitFor({ state: 'detached' });
      }

      expect(await tab.evaluate('violations')).toEqual([]);
      expect(consoleErrors).toEqual([]);
      await tab.evaluate("Flinkit.getWidget(document.getElementById('bank')).destroy()");
      const listeners = (await tab.evaluate('({ ...liveListeners })')) as Record<string, number>;
      expect(Object.values(listeners).filter((count) => count !== 0)).toEqual([]);
      expect(await tab.locator('#bank *').count()).toBe(0);
      expect(await tab.locator('style[data-flinkit-style]').count()).toBe(0);
      expect(await tab.evaluate('document.documentElement.className')).toBe('');
      await tab.close();
    },
    120_000,
  );

  it('applies the theming variables, and the page behind an open modal does not scroll', async () => {
    sitePage = {
      css:
        '#bank{--flinkit-accent:#0f766e;--flinkit-radius:2px;--flinkit-font:Georgia,serif;' +
        '--flinkit-background:#fefce8}.tall{height:3000px}',
      body: '<main><h1>Themed</h1><div id="bank" data-flinkit data-proxy-url="/proxy" data-mode="modal"></div><div class="tall"></div></main>',
    };
    proxy.hold('sessions');
    const tab = await browser.newPage({ viewport: { width: 720, height: 600 } });
    await tab.goto(site.url);
    const launcher = tab.getByRole('button', { name: 'Link your bank account' });
    const style = (locator: Locator, property: string) =>
      locator.evaluate(
        (element, name) => getComputedStyle(element).getPropertyValue(name),
        property,
      );
    expect(await style(launcher, 'background-color')).toBe('rgb(15, 118, 110)');
    expect(await style(launcher, 'border-radius')).toBe('2px');
    expect(await style(launcher, 'font-family')).toBe('Georgia, serif');

    await launcher.click();
    const dialog = tab.locator('dialog');
    await dialog.getByText('Connecting securely…').waitFor();
    expect(await style(dialog, 'background-color')).toBe('rgb(254, 252, 232)');
    // A variable the site did not set follows the colour scheme; one it set stays.
    await tab.emulateMedia({ colorScheme: 'dark' });
    expect(await style(dialog, 'color')).toBe('rgb(243, 244, 246)');
    expect(await style(dialog, 'background-color')).toBe('rgb(254, 252, 232)');
    await tab.emulateMedia({ colorScheme: 'light' });
    await screenshot(tab, 'modal-themed');

    const overflow = () => tab.evaluate('getComputedStyle(document.documentElement).overflow');
    expect(await overflow()).toBe('hidden');
    await tab.mouse.move(360, 50);
    await tab.mouse.wheel(0, 800);
    // Two frames: a wheel that scrolls the page has scrolled it by then (the same wheel after
    // the modal closed shows it does).
    const frames =
      'new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))';
    await tab.evaluate(frames);
    expect(await tab.evaluate('scrollY')).toBe(0);
    await tab.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await overflow()).toBe('visible');
    await tab.mouse.wheel(0, 800);
    await tab.evaluate(frames);
    expect(await tab.evaluate('scrollY')).toBeGreaterThan(0);
    proxy.release('sessions');
    await tab.close();
  }, 60_000);
});
