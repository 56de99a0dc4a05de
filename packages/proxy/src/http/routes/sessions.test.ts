import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestApp, postJson, TEST_SECRETS } from '../../test/helpers';

const FLINKS = 'https://flinks.test';
const TOKEN_URL = `${FLINKS}/v3/cust-1/BankingServices/GenerateAuthorizeToken`;
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const dataDir = mkdtempSync(join(tmpdir(), 'flinkit-sessions-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A real engine (its one Flinks client mints the tokens) on a fresh SQLite file. */
const flinksConfig = () => ({
  engine: undefined,
  mintAuthorizeToken: undefined,
  flinks: {
    apiUrl: FLINKS,
    customerId: 'cust-1',
    secretKey: TEST_SECRETS.secretKey,
    apiKey: TEST_SECRETS.apiKey,
    timeoutMs: 2000,
  },
  engineOptions: {
    databaseUrl: join(dataDir, `${randomUUID()}.db`),
    encryptionKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
    // Through fetch, which msw intercepts (the engine's own connection pool is not).
    fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  },
});

async function session(test: ReturnType<typeof createTestApp>, body?: unknown) {
  const response = await test.request(
    '/v1/connect/sessions',
    body === undefined ? { method: 'POST', user: 'alice' } : postJson(body, { user: 'alice' }),
  );
  return {
    response,
    body: (await response.json()) as { url: string; expiresAt: string; error?: { code: string } },
  };
}

describe('POST /v1/connect/sessions', () => {
  it('builds the iframe URL of the configured instance with a fresh token', async () => {
    const now = () => Date.parse('2026-02-01T10:00:00Z');
    const test = createTestApp({}, { now });
    const { response, body } = await session(test);
    expect(response.status).toBe(200);
    const url = new URL(body.url);
    expect(url.origin).toBe('https://toolbox-iframe.private.fin.ag');
    expect(url.pathname).toBe('/v2/');
    expect(url.searchParams.get('authorizeToken')).toBe('tok_1');
    expect(url.searchParams.get('language')).toBe('en');
    expect(body.expiresAt).toBe('2026-02-01T10:15:00.000Z');
    const second = await session(test);
    expect(new URL(second.body.url).searchParams.get('authorizeToken')).toBe('tok_2');
  });

  it('keeps the browser from switching instance, token, demo or redirect, and drops unknown params', async () => {
    const test = createTestApp({
      connect: { url: 'https://connect.example.com/v2/', fixedParams: { consentEnable: true } },
    });
    const { body } = await session(test, {
      language: 'fr',
      tag: 'order-7',
      params: {
        instance: 'evil',
        authorizeToken: 'attacker',
        demo: true,
        redirectUrl: 'https://evil.example.com',
        consentEnable: false,
        unknownThing: 'x',
        backgroundColor: 'f7f7f7',
        closeEnable: true,
      },
    });
    const url = new URL(body.url);
    expect(url.origin).toBe('https://connect.example.com');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      backgroundColor: 'f7f7f7',
      closeEnable: 'true',
      // Not the browser's: the proxy's own page, as no redirectUrl is configured.
      redirectUrl: 'http://localhost/v1/connect/done',
      innerRedirect: 'true',
      jsRedirect: 'true',
      consentEnable: 'true',
      language: 'fr',
      tag: 'order-7',
      authorizeToken: 'tok_1',
    });
  });

  it('falls back to its own done page for redirectUrl, under the base path, and serves it statically', async () => {
    const test = createTestApp({ basePath: '/api/flinkit' });
    const response = await test.request('https://shop.example/api/flinkit/v1/connect/sessions', {
      method: 'POST',
      user: 'alice',
    });
    const { url } = (await response.json()) as { url: string };
    const done = new URL(url).searchParams.get('redirectUrl') ?? '';
    expect(done).toBe('https://shop.example/api/flinkit/v1/connect/done');

    // As Connect would call it: the loginId in the query is never echoed, nothing is loaded.
    const page = await test.request(`${done}?loginId=${TEST_SECRETS.loginId}&institution=X`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('You can close this window');
    expect(html).not.toContain(TEST_SECRETS.loginId);
    expect(await (await test.request(`${done}?language=fr`)).text()).toContain('fermer');
    expect(test.logs.join('')).not.toContain(TEST_SECRETS.loginId);
  });

  it('keeps the host page in place: redirectUrl from the server, innerRedirect and jsRedirect unless it says otherwise', async () => {
    const redirectUrl = 'https://app.example.com/flinks/done';
    const defaults = createTestApp({ connect: { instance: 'toolbox', redirectUrl } });
    const { body } = await session(defaults, {
      params: { innerRedirect: false, jsRedirect: false, oauthWindowRedirect: true },
    });
    const url = new URL(body.url);
    expect(url.searchParams.get('redirectUrl')).toBe(redirectUrl);
    expect(url.searchParams.get('innerRedirect')).toBe('true');
    expect(url.searchParams.get('jsRedirect')).toBe('true');
    expect(url.searchParams.has('oauthWindowRedirect')).toBe(false);

    // Only the server may let Connect navigate the whole window (e.g. a mobile app).
    const mobile = createTestApp({
      connect: {
        instance: 'toolbox',
        redirectUrl,
        fixedParams: { innerRedirect: false, oauthWindowRedirect: true },
      },
    });
    const mobileUrl = new URL((await session(mobile)).body.url);
    expect(mobileUrl.searchParams.get('innerRedirect')).toBe('false');
    expect(mobileUrl.searchParams.get('oauthWindowRedirect')).toBe('true');
  });

  it('honours a narrower allowlist and sets demo from the server', async () => {
    const test = createTestApp({
      connect: { instance: 'acme', demo: true, allowedParams: ['theme'] },
    });
    const { body } = await session(test, { params: { theme: 'dark', backgroundColor: '000000' } });
    const url = new URL(body.url);
    expect(url.host).toBe('acme-iframe.private.fin.ag');
    expect(url.searchParams.get('theme')).toBe('dark');
    expect(url.searchParams.has('backgroundColor')).toBe(false);
    expect(url.searchParams.get('demo')).toBe('true');
  });

  it('rejects a bad language or tag', async () => {
    const test = createTestApp();
    expect((await session(test, { language: 'de' })).response.status).toBe(400);
    expect((await session(test, { tag: 'a b<script>' })).response.status).toBe(400);
  });

  it('calls GenerateAuthorizeToken with the secret key when no minter is given', async () => {
    let seenKey: string | null = null;
    server.use(
      http.post(TOKEN_URL, ({ request }) => {
        seenKey = request.headers.get('flinks-auth-key');
        return HttpResponse.json({ HttpStatusCode: 200, Token: 'real-token-1' });
      }),
    );
    const test = createTestApp(flinksConfig());
    onTestFinished(() => test.flinkit.close());
    const { response, body } = await session(test);
    expect(response.status).toBe(200);
    expect(seenKey).toBe(TEST_SECRETS.secretKey);
    expect(new URL(body.url).searchParams.get('authorizeToken')).toBe('real-token-1');
    expect(JSON.stringify(body)).not.toContain(TEST_SECRETS.secretKey);
  });

  it('answers 502 upstream_error when Flinks refuses, without its body', async () => {
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json(
          {
            HttpStatusCode: 401,
            FlinksCode: 'UNAUTHORIZED',
            Message: `bad key ${TEST_SECRETS.secretKey}`,
          },
          { status: 401 },
        ),
      ),
    );
    const test = createTestApp(flinksConfig());
    onTestFinished(() => test.flinkit.close());
    const { response, body } = await session(test);
    expect(response.status).toBe(502);
    expect(body.error?.code).toBe('upstream_error');
    expect(JSON.stringify(body)).not.toContain(TEST_SECRETS.secretKey);
  });

  it('rate-limits sessions per user', async () => {
    const test = createTestApp({ rateLimits: { sessions: { limit: 1, windowMs: 60_000 } } });
    expect((await session(test)).response.status).toBe(200);
    const limited = await session(test);
    expect(limited.response.status).toBe(429);
    expect(limited.response.headers.get('retry-after')).toBe('60');
  });
});
