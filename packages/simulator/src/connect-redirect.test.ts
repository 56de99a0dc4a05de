import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserAvailable, collectPageErrors, launchBrowser } from '@flinkit/test-browser';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './simulator.js';

// Where the page goes after REDIRECT, and OAuth banks (docs.flinks.com
// /guides/connect/oauth-integration): the popup, a blocked popup, oauthWindowRedirect.
const skip = !browserAvailable('simulator connect-redirect');

// A host page on another origin: an iframe (optionally sandboxed) that records every message.
const HOST = `<!doctype html><html><body><iframe id="connect" title="Flinks Connect" width="480" height="640"></iframe>
<script>
  window.messages = [];
  const config = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  const frame = document.getElementById('connect');
  if (config.sandbox) frame.setAttribute('sandbox', config.sandbox);
  window.addEventListener('message', (event) => {
    if (event.source === frame.contentWindow) window.messages.push(event.data);
  });
  frame.src = config.src;
</script></body></html>`;

// The sandbox a host should use: popups allowed (OAuth), top navigation not.
const HOST_SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox';

describe.skipIf(skip)('Connect redirect and OAuth in Chromium', { timeout: 30_000 }, () => {
  let browser: Browser;
  let host: Server;
  let hostUrl: string;
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ processingMs: 0 });
    host = createServer((request, response) => {
      const done = request.url?.startsWith('/done');
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(done ? '<p id="done">back</p>' : HOST);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://localhost:${(host.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()));
    await sim?.close();
  });

  async function open(params: Record<string, string>, sandbox?: string) {
    const query = new URLSearchParams({
      authorizeToken: sim.createAuthorizeToken(),
      demo: 'true',
      consentEnable: 'false',
      ...params,
    });
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    const config = { src: `${sim.connectUrl}?${query}`, ...(sandbox ? { sandbox } : {}) };
    await page.goto(`${hostUrl}/#${encodeURIComponent(JSON.stringify(config))}`);
    return { page, errors, frame: page.frameLocator('#connect') };
  }

  const steps = (page: Page) =>
    page.evaluate(() =>
      (window as unknown as { messages: Record<string, string>[] }).messages.map(
        (message) => message.step ?? `flinksCode:${message.flinksCode}`,
      ),
    );
  const waitForStep = (page: Page, step: string) =>
    page.waitForFunction(
      (wanted) =>
        (window as unknown as { messages: Record<string, string>[] }).messages.some(
          (message) => message.step === wanted || message.flinksCode === wanted,
        ),
      step,
    );
  const connectFrame = (page: Page): Frame => page.frames()[1] as Frame;

  async function signIn(frame: ReturnType<Page['frameLocator']>, institution = 'FlinksCapital') {
    await frame.getByTestId(`institution-${institution}`).click();
    if (institution !== 'FlinksCapital') return;
    await frame.getByTestId('username').fill('greatday_nomfa');
    await frame.getByTestId('password').fill('Everyday');
    await frame.getByTestId('submit-credentials').click();
  }

  it('with the proxy defaults (redirectUrl, innerRedirect, jsRedirect) posts REDIRECT and navigates nothing', async () => {
    const { page, errors, frame } = await open({
      redirectUrl: `${hostUrl}/done`,
      innerRedirect: 'true',
      jsRedirect: 'true',
    });
    await signIn(frame);
    await waitForStep(page, 'REDIRECT');
    await frame.getByTestId('success').waitFor();
    expect(await connectFrame(page).evaluate(() => document.body.dataset.navigation)).toBe('none');
    expect(page.url().startsWith(`${hostUrl}/#`)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('navigates the whole page to redirectUrl without innerRedirect (only when the host asks)', async () => {
    const { page, frame } = await open({ redirectUrl: `${hostUrl}/done?state=1` });
    await signIn(frame);
    await page.waitForURL(`${hostUrl}/done?**`);
    const url = new URL(page.url());
    expect(url.searchParams.get('state')).toBe('1');
    expect(url.searchParams.get('loginId')).toBe(sim.createLogin('greatday_nomfa'));
    await page.close();
  });

  it('signs in at an OAuth bank in a popup, then posts REDIRECT in the iframe', async () => {
    const { page, errors, frame } = await open(
      { redirectUrl: `${hostUrl}/done`, innerRedirect: 'true', jsRedirect: 'true' },
      HOST_SANDBOX,
    );
    const popupOpened = page.waitForEvent('popup');
    await signIn(frame, 'FlinksCapitalOAuth');
    const popup = await popupOpened;
    await frame.getByTestId('oauth-waiting').waitFor();
    expect(new URL(popup.url()).pathname).toBe('/v2/oauth');
    await popup.getByTestId('username').fill('greatday_nomfa');
    await popup.getByTestId('password').fill('Everyday');
    const closed = popup.waitForEvent('close');
    await popup.getByTestId('bank-authorize').click();
    await closed;
    await waitForStep(page, 'REDIRECT');
    expect(await steps(page)).toEqual([
      'APP_MOUNTED',
      'COMPONENT_LOAD_INSTITUTION_SELECTOR',
      'INSTITUTION_SELECTED',
      'POPUP_OPENED',
      'REDIRECT',
    ]);
    const redirect = (await page.evaluate(() =>
      (window as unknown as { messages: Record<string, string>[] }).messages.at(-1),
    )) as { url: string };
    const loginId = new URL(redirect.url).searchParams.get('loginId');
    expect(loginId).toBe(sim.createLogin('greatday_nomfa', { institution: 'FlinksCapitalOAuth' }));
    expect(page.url().startsWith(`${hostUrl}/#`)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('posts POPUP_BLOCKED when the host iframe may not open popups', async () => {
    const { page, frame } = await open(
      { redirectUrl: `${hostUrl}/done` },
      'allow-scripts allow-same-origin allow-forms',
    );
    await signIn(frame, 'FlinksCapitalOAuth');
    await frame.getByTestId('popup-blocked').waitFor();
    expect(await steps(page)).toContain('POPUP_BLOCKED');
    expect(await steps(page)).not.toContain('POPUP_OPENED');
    await page.close();
  });

  it('refuses an OAuth bank without redirectUrl (the OAuth guide calls it required)', async () => {
    const { page, frame } = await open({}, HOST_SANDBOX);
    await signIn(frame, 'FlinksCapitalOAuth');
    await frame.getByTestId('oauth-error').waitFor();
    expect(await steps(page)).toContain('flinksCode:INVALID_REQUEST');
    await page.close();
  });

  it('with oauthWindowRedirect, takes the whole window to the bank, then to redirectUrl', async () => {
    const { page, frame } = await open({
      redirectUrl: `${hostUrl}/done`,
      oauthWindowRedirect: 'true',
    });
    await signIn(frame, 'FlinksCapitalOAuth');
    await page.waitForURL(`${sim.url}/v2/oauth?**`);
    await page.getByTestId('username').fill('greatday_nomfa');
    await page.getByTestId('password').fill('Everyday');
    await page.getByTestId('bank-authorize').click();
    await page.waitForURL(`${hostUrl}/done?**`);
    const url = new URL(page.url());
    expect(url.searchParams.get('institution')).toBe('FlinksCapitalOAuth');
    expect(url.searchParams.get('loginId')).toBe(
      sim.createLogin('greatday_nomfa', { institution: 'FlinksCapitalOAuth' }),
    );
    await page.close();
  });
});
