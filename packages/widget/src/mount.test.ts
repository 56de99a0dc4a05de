import type { Connection } from '@flinkit/core';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mount } from './mount.js';
import { summary as accounts, connection } from './test-fake-connect.js';

const PROXY = 'https://proxy.test';
const CONNECT_URL = 'https://connect.test/v2/?authorizeToken=tok-1';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});
afterAll(() => server.close());

/**
 * The proxy (apps/docs/architecture.md#proxy-http-api): a session, a connection that is processing,
 * then ready, then its accounts.
 */
function proxyRoutes(statuses: Connection[]) {
  const authorizations = new Set<string | null>();
  server.use(
    http.post(`${PROXY}/v1/connect/sessions`, async ({ request }) => {
      authorizations.add(request.headers.get('authorization'));
      return HttpResponse.json({
        url: CONNECT_URL,
        expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      });
    }),
    http.post(`${PROXY}/v1/connections`, async ({ request }) => {
      expect(await request.json()).toMatchObject({ loginId: 'login-1' });
      return HttpResponse.json({ connection: connection({ version: 1 }) }, { status: 202 });
    }),
    http.get(`${PROXY}/v1/connections/conn_1`, () =>
      HttpResponse.json({ connection: statuses.shift() ?? statuses.at(-1) }),
    ),
    http.get(`${PROXY}/v1/connections/conn_1/accounts`, ({ request }) => {
      authorizations.add(request.headers.get('authorization'));
      return HttpResponse.json(accounts);
    }),
  );
  return authorizations;
}

/** Counts listeners added and removed on `target` from now on, by event type. */
function countListeners(target: EventTarget) {
  const live = new Map<string, number>();
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  vi.spyOn(target, 'addEventListener').mockImplementation((type, listener, options) => {
    live.set(type, (live.get(type) ?? 0) + 1);
    add(type, listener, options);
  });
  vi.spyOn(target, 'removeEventListener').mockImplementation((type, listener, options) => {
    live.set(type, (live.get(type) ?? 0) - 1);
    remove(type, listener, options);
  });
  return () => [...live.values()].reduce((sum, count) => sum + count, 0);
}

describe('mount (real core, proxy through msw)', () => {
  it('links, follows the retrieval, shows the accounts, and leaves nothing behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const authorizations = proxyRoutes([
      connection({ attempt: 2, version: 2, nextPollAt: new Date(Date.now() + 5000).toISOString() }),
      connection({
        status: 'ready',
        attempt: 3,
        version: 3,
        completedAt: new Date().toISOString(),
      }),
    ]);
    const liveOnWindow = countListeners(window);
    const host = document.body.appendChild(document.createElement('div'));
    const seen: Array<[string, unknown]> = [];
    const onDocument = (event: Event) => seen.push([event.type, (event as CustomEvent).detail]);
    const types = ['ready', 'linked', 'progress', 'complete', 'error'].map((t) => `flinkit:${t}`);
    for (const type of types) document.addEventListener(type, onDocument);

    const widget = mount(host, { proxyUrl: PROXY, getToken: () => 'user-jwt', nonce: 'n1' });
    await vi.waitFor(() => expect(host.querySelector('iframe')).not.toBeNull());
    const iframe = host.querySelector('iframe')!;
    expect(iframe.getAttribute('src')).toBe(CONNECT_URL);
    expect(document.head.querySelector('style[nonce="n1"]')).not.toBeNull();

    // A forged REDIRECT from another origin is ignored; the iframe's own is accepted.
    const redirect = { step: 'REDIRECT', loginId: 'login-1', institution: 'FlinksCapital' };
    const post = (origin: string) =>
      window.dispatchEvent(
        new MessageEvent('message', { data: redirect, origin, source: iframe.contentWindow }),
      );
    post('https://evil.test');
    expect(seen.some(([type]) => type === 'flinkit:linked')).toBe(false);
    post('https://connect.test');
    await vi.waitFor(() => expect(host.textContent).toContain('Getting your accounts…'));

    for (let i = 0; i < 3 && !seen.some(([type]) => type === 'flinkit:complete'); i++) {
      await vi.advanceTimersByTimeAsync(2000);
    }
    await vi.waitFor(() => expect(host.textContent).toContain('Chequing Account •••1238'));
    expect(host.textContent).toContain('$5,105.50');

    const byType = Object.fromEntries(seen);
    expect(seen.map(([type]) => type)).toEqual([
      'flinkit:ready',
      'flinkit:linked',
      'flinkit:progress',
      'flinkit:progress',
      'flinkit:progress',
      'flinkit:complete',
    ]);
    expect(byType['flinkit:linked']).toEqual({ loginId: 'login-1', institution: 'FlinksCapital' });
    expect(byType['flinkit:complete']).toMatchObject({
      connection: { id: 'conn_1', status: 'ready' },
      accounts,
    });
    expect([...authorizations]).toEqual(['Bearer user-jwt']);

    widget.destroy();
    for (const type of types) document.removeEventListener(type, onDocument);
    expect(host.childNodes).toHaveLength(0);
    expect(document.head.querySelector('style')).toBeNull();
    expect(liveOnWindow()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports a failing token endpoint as flinkit:error token_failed', async () => {
    server.use(http.get('https://site.test/token', () => new HttpResponse(null, { status: 401 })));
    const host = document.body.appendChild(document.createElement('div'));
    const errors: unknown[] = [];
    host.addEventListener('flinkit:error', (event) => errors.push((event as CustomEvent).detail));
    const widget = mount(host, { proxyUrl: PROXY, tokenUrl: 'https://site.test/token' });
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ code: 'token_failed', recoverable: true });
    expect(host.querySelector('button')?.textContent).toBe('Try again');
    widget.destroy();
  });

  it('shows the error with a retry that starts a new session', async () => {
    let sessions = 0;
    server.use(
      http.post(`${PROXY}/v1/connect/sessions`, () => {
        sessions += 1;
        return sessions === 1
          ? HttpResponse.json(
              { error: { code: 'rate_limited', message: 'Slow down.', recoverable: true } },
              { status: 429 },
            )
          : HttpResponse.json({ url: CONNECT_URL, expiresAt: '2099-01-01T00:00:00.000Z' });
      }),
    );
    const host = document.body.appendChild(document.createElement('div'));
    const widget = mount(host, { proxyUrl: PROXY, language: 'fr' });
    const errors: unknown[] = [];
    widget.on('error', (error) => errors.push(error));
    const retry = await vi.waitFor(() => {
      const button = host.querySelector('button');
      expect(button?.textContent).toBe('Réessayer');
      return button!;
    });
    expect(errors).toEqual([expect.objectContaining({ code: 'rate_limited', recoverable: true })]);
    retry.click();
    await vi.waitFor(() => expect(host.querySelector('iframe')).not.toBeNull());
    expect(sessions).toBe(2);
    widget.destroy();
  });
});
