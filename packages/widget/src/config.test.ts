import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readElementOptions, resolveUrl, tokenFromUrl } from './config.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function element(html: string): HTMLElement {
  const wrapper = document.createElement('div');
  wrapper.innerHTML = html;
  return wrapper.firstElementChild as HTMLElement;
}

describe('readElementOptions', () => {
  it('reads every data attribute, with Connect params camel-cased and booleans parsed', () => {
    const getToken = () => 'from-config';
    const options = readElementOptions(
      element(
        `<div data-flinkit data-proxy-url="https://proxy.test" data-token-url="/token"
          data-language="fr" data-nonce="abc" data-tag="order-7"
          data-param-consent-enable="true" data-param-close-enable="false"
          data-param-customer-name="Acme" data-mode="modal"
          data-button-label="Verify your income" data-theme="dark"></div>`,
      ),
      { getToken },
    );
    expect(options).toEqual({
      proxyUrl: 'https://proxy.test',
      getToken,
      tokenUrl: '/token',
      language: 'fr',
      nonce: 'abc',
      tag: 'order-7',
      params: { consentEnable: true, closeEnable: false, customerName: 'Acme' },
      mode: 'modal',
      buttonLabel: 'Verify your income',
      theme: 'dark',
    });
  });

  it('asks for data-proxy-url when it is missing', () => {
    expect(() => readElementOptions(element('<div data-flinkit></div>'), undefined)).toThrowError(
      /data-proxy-url/,
    );
  });

  it('passes data-language on as given, for mount() to check like an option in code', () => {
    expect(
      readElementOptions(element('<div data-proxy-url="/p" data-language="de"></div>'), undefined)
        .language,
    ).toBe('de');
  });
});

describe('resolveUrl', () => {
  it('resolves a relative URL against the page', () => {
    expect(resolveUrl('/api/', document, 'proxyUrl')).toBe(new URL('/api/', document.baseURI).href);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => resolveUrl('javascript:alert(1)', document, 'proxyUrl')).toThrowError(
      expect.objectContaining({ code: 'invalid_option' }),
    );
  });
});

describe('tokenFromUrl', () => {
  it('reads { token } with cookies included and reuses it for a minute', async () => {
    let calls = 0;
    server.use(
      http.get('https://site.test/token', ({ request }) => {
        calls += 1;
        expect(request.credentials).toBe('include');
        return HttpResponse.json({ token: 'jwt-1' });
      }),
    );
    const getToken = tokenFromUrl('https://site.test/token', fetch);
    expect(await getToken()).toBe('jwt-1');
    expect(await getToken()).toBe('jwt-1');
    expect(calls).toBe(1);
  });

  it('accepts the bare token as text', async () => {
    server.use(http.get('https://site.test/token', () => HttpResponse.text('jwt-2\n')));
    expect(await tokenFromUrl('https://site.test/token', fetch)()).toBe('jwt-2');
  });

  it('fails with token_failed, recoverable, when the endpoint refuses', async () => {
    server.use(http.get('https://site.test/token', () => new HttpResponse(null, { status: 401 })));
    await expect(tokenFromUrl('https://site.test/token', fetch)()).rejects.toMatchObject({
      code: 'token_failed',
      recoverable: true,
    });
  });

  it('fails with token_failed when the answer has no token', async () => {
    server.use(http.get('https://site.test/token', () => HttpResponse.json({ user: 'x' })));
    await expect(tokenFromUrl('https://site.test/token', fetch)()).rejects.toMatchObject({
      code: 'token_failed',
      recoverable: false,
    });
  });
});
