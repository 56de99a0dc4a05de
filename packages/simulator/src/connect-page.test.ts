import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserAvailable, collectPageErrors, launchBrowser } from '@flinkit/test-browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './simulator.js';

const skip = !browserAvailable('simulator connect-page');

interface Recorded {
  origin: string;
  fromIframe: boolean;
  data: Record<string, unknown> | string;
}

// The parent page records every message with its origin and whether it came from the iframe.
const PARENT = `<!doctype html><html><body><iframe id="connect" title="Flinks Connect" width="480" height="640"></iframe>
<script>
  window.messages = [];
  const frame = document.getElementById('connect');
  window.addEventListener('message', (event) => {
    window.messages.push({ origin: event.origin, fromIframe: event.source === frame.contentWindow, data: event.data });
  });
  frame.src = decodeURIComponent(location.hash.slice(1));
</script></body></html>`;

// Browser steps are slow on a shared 2-core machine: generous per-test limits, no timing assertions.
describe.skipIf(skip)('Connect iframe in Chromium', { timeout: 30_000 }, () => {
  let browser: Browser;
  let parent: Server;
  let parentUrl: string;
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ processingMs: 0 });
    parent = createServer((request, response) => {
      const done = request.url?.startsWith('/done');
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(done ? '<p id="done">back</p>' : PARENT);
    });
    await new Promise<void>((resolve) => parent.listen(0, '127.0.0.1', resolve));
    // "localhost" keeps the parent on another origin than the simulator's 127.0.0.1.
    parentUrl = `http://localhost:${(parent.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (parent ? parent.close(() => resolve()) : resolve()));
    await sim?.close();
  });

  async function openConnect(params: Record<string, string>): Promise<Page> {
    const query = new URLSearchParams({
      authorizeToken: sim.createAuthorizeToken(),
      demo: 'true',
      ...params,
    });
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${parentUrl}/#${encodeURIComponent(`${sim.connectUrl}?${query}`)}`);
    Object.assign(page, { pageErrors: errors });
    return page;
  }

  const messages = (page: Page) =>
    page.evaluate(() => (window as unknown as { messages: Recorded[] }).messages);
  const steps = async (page: Page) =>
    (await messages(page))
      .map(({ data }) => (typeof data === 'string' ? JSON.parse(data) : data))
      .map((data) => data.step ?? `flinksCode:${data.flinksCode}`);
  const waitForStep = (page: Page, step: string) =>
    page.waitForFunction(
      (wanted) =>
        (window as unknown as { messages: Recorded[] }).messages.some((message) => {
          const data = typeof message.data === 'string' ? JSON.parse(message.data) : message.data;
          return data.step === wanted || data.flinksCode === wanted;
        }),
      step,
    );

  async function signIn(page: Page, username: string, password = 'Everyday') {
    const frame = page.frameLocator('#connect');
    await frame.getByTestId('consent-accept').click();
    await frame.getByTestId('institution-FlinksCapital').click();
    await frame.getByLabel('Username').fill(username);
    await frame.getByLabel('Password').fill(password);
    await frame.getByTestId('submit-credentials').click();
    return frame;
  }

  it('links greatday_nomfa with the real step order, from the simulator origin, and the loginId authorizes', async () => {
    const page = await openConnect({});
    await signIn(page, 'greatday_nomfa');
    await waitForStep(page, 'REDIRECT');
    expect(await steps(page)).toEqual([
      'APP_MOUNTED',
      'COMPONENT_LOAD_CONSENT',
      'COMPONENT_ACCEPT_CONSENT',
      'COMPONENT_LOAD_INSTITUTION_SELECTOR',
      'INSTITUTION_SELECTED',
      'COMPONENT_LOAD_CREDENTIAL',
      'SUBMIT_CREDENTIAL',
      'REDIRECT',
    ]);
    const recorded = await messages(page);
    expect(recorded.every((message) => message.origin === sim.url && message.fromIframe)).toBe(
      true,
    );
    expect(recorded[3]?.data).toEqual({
      step: 'COMPONENT_LOAD_INSTITUTION_SELECTOR',
      cached: false,
    });
    // The documented shape by default: the loginId inside `url`.
    const redirect = recorded.at(-1)?.data as Record<string, string>;
    expect(redirect).toEqual({
      step: 'REDIRECT',
      institution: 'FlinksCapital',
      url: expect.stringMatching(/^about:blank\?loginId=[\w-]+&institution=FlinksCapital$/),
    });
    const loginId = new URL(redirect.url as string).searchParams.get('loginId');

    const base = `${sim.url}/v3/${sim.customerId}/BankingServices`;
    const { Token } = (await (
      await fetch(`${base}/GenerateAuthorizeToken`, {
        method: 'POST',
        headers: { 'flinks-auth-key': sim.secretKey },
      })
    ).json()) as { Token: string };
    const authorized = await fetch(`${base}/Authorize`, {
      method: 'POST',
      headers: { 'flinks-auth-key': Token },
      body: JSON.stringify({ LoginId: loginId, MostRecentCached: true }),
    });
    expect(authorized.status).toBe(200);
    expect(await authorized.json()).toMatchObject({
      Login: { Username: 'greatday_nomfa', Id: loginId },
    });
    expect((page as unknown as { pageErrors: string[] }).pageErrors).toEqual([]);
    await page.close();
  });

  it('asks Greatday a security question, retries a wrong answer, then selects an account', async () => {
    const page = await openConnect({
      accountSelectorEnable: 'true',
      tag: 'order-7',
      simRedirectShape: 'loginId',
    });
    const frame = await signIn(page, 'Greatday');
    const question = (await frame.getByTestId('mfa-question').textContent()) ?? '';
    const answer = question.includes('born')
      ? 'Montreal'
      : question.includes('country')
        ? 'Canada'
        : 'Triangle';
    await frame.getByLabel('Your answer').fill('Atlantis');
    await frame.getByTestId('submit-mfa').click();
    await frame.getByTestId('mfa-error').waitFor();
    await frame.getByLabel('Your answer').fill(answer);
    await frame.getByTestId('submit-mfa').click();
    await frame.getByTestId('account-option').first().waitFor();
    await frame.getByTestId('submit-accounts').click();
    await waitForStep(page, 'REDIRECT');
    expect((await steps(page)).slice(6)).toEqual([
      'SUBMIT_CREDENTIAL',
      'COMPONENT_LOAD_MFA',
      'SUBMIT_MFA',
      'flinksCode:INVALID_SECURITY_RESPONSE',
      'COMPONENT_LOAD_MFA_RETRY',
      'SUBMIT_MFA',
      'COMPONENT_LOAD_ACCOUNT_SELECTION',
      'ACCOUNT_SELECTED',
      'REDIRECT',
    ]);
    const data = (await messages(page)).map((message) => message.data as Record<string, unknown>);
    expect(data[7]).toMatchObject({ step: 'COMPONENT_LOAD_MFA', mfaTypes: ['QuestionAndAnswer'] });
    expect(data[12]).toEqual({
      step: 'COMPONENT_LOAD_ACCOUNT_SELECTION',
      totalAccounts: 3,
      displayedAccounts: 3,
    });
    const selected = data[13]?.accountId;
    expect(data[14]).toMatchObject({ step: 'REDIRECT', tag: 'order-7', accountId: selected });
    await page.close();
  });

  it('reports INVALID_PASSWORD and offers the credentials again', async () => {
    const page = await openConnect({});
    const frame = await signIn(page, 'greatday_nomfa', 'wrong');
    await frame.getByTestId('credential-error').waitFor();
    await waitForStep(page, 'COMPONENT_LOAD_CREDENTIAL_RETRY');
    const data = (await messages(page)).map((message) => message.data as Record<string, unknown>);
    expect(data.slice(6)).toEqual([
      { step: 'SUBMIT_CREDENTIAL', institution: 'FlinksCapital' },
      {
        flinksCode: 'INVALID_PASSWORD',
        institution: 'FlinksCapital',
        requestId: expect.any(String),
      },
      { step: 'COMPONENT_LOAD_CREDENTIAL_RETRY', institution: 'FlinksCapital' },
    ]);
    await page.close();
  });

  it('posts the url REDIRECT shape as JSON strings, keeping the redirectUrl query', async () => {
    const page = await openConnect({
      simRedirectShape: 'url',
      stringify: 'true',
      consentEnable: 'false',
      jsRedirect: 'true',
      tag: 't1',
      redirectUrl: 'https://example.com/done?state=abc',
    });
    const frame = page.frameLocator('#connect');
    await frame.getByTestId('institution-FlinksCapital').click();
    await frame.getByLabel('Username').fill('greatday_nomfa');
    await frame.getByLabel('Password').fill('Everyday');
    await frame.getByTestId('submit-credentials').click();
    await waitForStep(page, 'REDIRECT');
    const raw = (await messages(page)).map((message) => message.data);
    expect(raw.every((data) => typeof data === 'string')).toBe(true);
    const redirect = JSON.parse(raw.at(-1) as string) as {
      step: string;
      institution: string;
      url: string;
    };
    expect(redirect.step).toBe('REDIRECT');
    const url = new URL(redirect.url);
    expect(url.origin + url.pathname).toBe('https://example.com/done');
    expect(url.searchParams.get('state')).toBe('abc');
    expect(url.searchParams.get('tag')).toBe('t1');
    expect(url.searchParams.get('institution')).toBe('FlinksCapital');
    expect(sim.createLogin('greatday_nomfa')).toBe(url.searchParams.get('loginId'));
    expect(await steps(page)).not.toContain('COMPONENT_LOAD_CONSENT');
    await page.close();
  });

  it('navigates the iframe itself to redirectUrl with innerRedirect', async () => {
    const page = await openConnect({
      consentEnable: 'false',
      innerRedirect: 'true',
      redirectUrl: `${parentUrl}/done?keep=1`,
    });
    const frame = page.frameLocator('#connect');
    await frame.getByTestId('institution-FlinksCapital').click();
    await frame.getByLabel('Username').fill('greatday_nomfa');
    await frame.getByLabel('Password').fill('Everyday');
    await frame.getByTestId('submit-credentials').click();
    await frame.locator('#done').waitFor();
    const iframeUrl = new URL(page.frames()[1]?.url() ?? '');
    expect(iframeUrl.searchParams.get('keep')).toBe('1');
    expect(iframeUrl.searchParams.get('loginId')).toBe(sim.createLogin('greatday_nomfa'));
    expect(page.url().startsWith(`${parentUrl}/#`)).toBe(true);
    await page.close();
  });

  it('posts TOKEN_INVALID for a reused token, shows French text, and a close button', async () => {
    const token = sim.createAuthorizeToken();
    const first = await openConnect({ authorizeToken: token, language: 'fr', closeEnable: 'true' });
    const frame = first.frameLocator('#connect');
    await expect.poll(() => frame.getByTestId('consent-accept').textContent()).toBe("J'accepte");
    await frame.getByTestId('close').click();
    await waitForStep(first, 'COMPONENT_CLOSE_SESSION');
    const second = await openConnect({ authorizeToken: token });
    await waitForStep(second, 'TOKEN_INVALID');
    expect(await steps(second)).toEqual(['APP_MOUNTED', 'TOKEN_INVALID']);
    await second.frameLocator('#connect').getByTestId('token-invalid').waitFor();
    await first.close();
    await second.close();
  });
});

// No browser needed: the policy and the markup it must allow are read as served.
describe('the Connect page as served', () => {
  it('has a self-only CSP, and its markup needs nothing inline: scripts by src, no handlers, no styles', async () => {
    const sim = await startSimulator();
    try {
      const response = await fetch(sim.connectUrl);
      const csp = response.headers.get('content-security-policy');
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|nonce-|sha\d+-/);
      const html = await response.text();
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)];
      // The page has its script, and every <script> opened is one of those read here.
      expect(scripts.length).toBeGreaterThan(0);
      expect(html.match(/<script\b/gi)).toHaveLength(scripts.length);
      for (const [tag, attributes, body] of scripts) {
        expect(attributes, tag).toMatch(/\ssrc="\/v2\/[\w.-]+\.js"/);
        expect(body, tag).toBe('');
      }
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/\sstyle\s*=/i);
      expect(html).not.toMatch(/<style\b/i);
    } finally {
      await sim.close();
    }
  });
});
