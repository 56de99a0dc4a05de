import type { AccountsResponse, FlinksConnectOptions } from '@flinkit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWidget, getWidget, type WidgetFactories } from './create-widget.js';
import { WidgetError } from './errors.js';
import { connection, createFakeConnect, type FakeConnect } from './test-fake-connect.js';
import type { WidgetOptions } from './types.js';

const accounts: AccountsResponse = {
  view: 'summary',
  connectionId: 'conn_1',
  institution: 'FlinksCapital',
  retrievedAt: '2026-01-01T00:01:00.000Z',
  accounts: [],
};

function setup(options: Partial<WidgetOptions> = {}) {
  const host = document.createElement('div');
  document.body.append(host);
  const fake: { connect: FakeConnect; options: FlinksConnectOptions } = {
    connect: createFakeConnect(),
    options: { proxyUrl: '' },
  };
  const factories: WidgetFactories = {
    createConnect: (connectOptions) => {
      fake.options = connectOptions;
      return fake.connect;
    },
  };
  const widget = createWidget(host, { proxyUrl: 'https://proxy.test', ...options }, factories);
  return { host, widget, fake, factories };
}

function styles() {
  return document.head.querySelectorAll('style[data-flinkit-style]');
}

afterEach(() => {
  document.body.innerHTML = '';
  document.head.innerHTML = '';
  document.documentElement.lang = '';
});

describe('createWidget', () => {
  it('starts a Connect session in the language and with the tag and params asked for', () => {
    const { fake } = setup({ language: 'fr', tag: 'order-7', params: { consentEnable: true } });
    expect(fake.connect.start).toHaveBeenCalledTimes(1);
    expect(fake.options.proxyUrl).toBe('https://proxy.test/');
    expect(fake.options.session).toEqual({
      language: 'fr',
      tag: 'order-7',
      params: { consentEnable: true },
    });
  });

  it('takes the language from <html lang> when none is given', () => {
    document.documentElement.lang = 'fr-CA';
    const { fake, host } = setup();
    expect(fake.options.session?.language).toBe('fr');
    expect(host.querySelector('.flinkit')?.getAttribute('lang')).toBe('fr');
  });

  it('dispatches bubbling events that the page and on() both receive', () => {
    const { widget, fake, host } = setup();
    const seen: string[] = [];
    const listening = new AbortController();
    for (const type of ['ready', 'linked', 'progress', 'error']) {
      document.addEventListener(
        `flinkit:${type}`,
        (event) => seen.push(`${type}:${JSON.stringify((event as CustomEvent).detail)}`),
        { signal: listening.signal },
      );
    }
    const linked = vi.fn();
    widget.on('linked', linked);
    let iframeOnReady: Element | null = null;
    widget.on('ready', () => {
      iframeOnReady = host.querySelector('iframe');
    });
    fake.connect.set({ status: 'ready', url: 'https://c.test/v2/' });
    fake.options.onLinked?.({ loginId: 'login-1', institution: 'FlinksCapital' });
    fake.options.onProgress?.(connection({ attempt: 2 }));
    fake.options.onError?.({ code: 'network_error', message: 'm', recoverable: true });
    expect(linked).toHaveBeenCalledWith({ loginId: 'login-1', institution: 'FlinksCapital' });
    // The iframe renders as soon as the state has its URL: `ready` comes first.
    expect(seen).toHaveLength(4);
    expect(seen[0]).toBe('ready:{}');
    expect(iframeOnReady).not.toBeNull();
    expect(seen[1]).toBe('linked:{"loginId":"login-1","institution":"FlinksCapital"}');
    expect(seen[2]).toContain('"attempt":2');
    expect(seen[3]).toBe('error:{"code":"network_error","message":"m","recoverable":true}');
    listening.abort();
  });

  it('asks core for the accounts summary and sends it with flinkit:complete', () => {
    const { widget, fake, host } = setup();
    expect(fake.options.fetchAccounts).toBe('summary');
    const complete = vi.fn();
    widget.on('complete', complete);
    const done = connection({ status: 'ready' });
    fake.connect.set({ status: 'complete', connection: done, accounts });
    fake.options.onComplete?.(done, accounts);
    expect(complete).toHaveBeenCalledWith({ connection: done, accounts });
    expect(host.textContent).toContain('FlinksCapital');
    fake.options.onComplete?.(done, null);
    expect(complete).toHaveBeenLastCalledWith({ connection: done, accounts: null });
  });

  it('shares one stylesheet, with the nonce, between widgets and removes it with the last', () => {
    const first = setup({ nonce: 'n0nce' });
    const second = setup({ nonce: 'n0nce' });
    expect(styles()).toHaveLength(1);
    expect(styles()[0]?.getAttribute('nonce')).toBe('n0nce');
    first.widget.destroy();
    expect(styles()).toHaveLength(1);
    second.widget.destroy();
    expect(styles()).toHaveLength(0);
  });

  it('keeps widgets on one page independent', async () => {
    const first = setup();
    const second = setup();
    const secondLinked = vi.fn();
    second.host.addEventListener('flinkit:linked', secondLinked);
    first.fake.options.onLinked?.({ loginId: 'login-1', institution: null });
    expect(secondLinked).not.toHaveBeenCalled();
    first.widget.destroy();
    second.fake.connect.set({ status: 'closed' });
    await vi.waitFor(() => expect(second.host.textContent).toContain('Connect was closed.'));
    second.fake.options.onLinked?.({ loginId: 'login-2', institution: null });
    expect(secondLinked).toHaveBeenCalledTimes(1);
    second.widget.destroy();
  });

  it('leaves the host as it found it after destroy(), and is idempotent', () => {
    const { widget, host, fake } = setup();
    const listener = vi.fn();
    widget.on('linked', listener);
    expect(getWidget(host)).toBe(widget);
    widget.destroy();
    widget.destroy();
    expect(host.childNodes).toHaveLength(0);
    expect(getWidget(host)).toBeNull();
    expect(fake.connect.destroy).toHaveBeenCalledTimes(1);
    fake.options.onLinked?.({ loginId: 'late', institution: null });
    host.dispatchEvent(new CustomEvent('flinkit:linked', { detail: {} }));
    expect(listener).not.toHaveBeenCalled();
  });

  it('aborts its requests in flight on destroy()', async () => {
    const seen: AbortSignal[] = [];
    const fetch = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.signal) seen.push(init.signal);
      return new Response('{}');
    });
    const { widget, fake } = setup({ fetch });
    await fake.options.fetch?.('https://proxy.test/v1/connect/sessions', { method: 'POST' });
    expect(seen[0]?.aborted).toBe(false);
    widget.destroy();
    expect(seen[0]?.aborted).toBe(true);
  });

  it('refuses a second widget on the same element', () => {
    const { host, factories } = setup();
    expect(() => createWidget(host, { proxyUrl: 'https://proxy.test' }, factories)).toThrowError(
      expect.objectContaining({ code: 'already_mounted' }),
    );
  });

  it.each([
    [{ proxyUrl: 'javascript:alert(1)' }, 'invalid_option'],
    [{ proxyUrl: 'https://proxy.test', language: 'de' as 'en' }, 'invalid_option'],
    [{ proxyUrl: 'https://proxy.test', tokenUrl: 'ftp://x' }, 'invalid_option'],
    [{ proxyUrl: 'https://proxy.test', mode: 'popup' as 'modal' }, 'invalid_option'],
    [{ proxyUrl: 'https://proxy.test', theme: 'blue' as 'dark' }, 'invalid_option'],
  ])('rejects bad options %o', (options, code) => {
    const host = document.createElement('div');
    const factories = { createConnect: vi.fn() };
    let caught: unknown;
    try {
      createWidget(host, options, factories);
    } catch (error) {
      caught = error;
    }
    expect(WidgetError.isInstance(caught) && caught.code).toBe(code);
    expect(factories.createConnect).not.toHaveBeenCalled();
  });

  it('rejects something that is not an element', () => {
    const factories = { createConnect: vi.fn() };
    expect(() =>
      createWidget(null as unknown as Element, { proxyUrl: '/' }, factories),
    ).toThrowError(expect.objectContaining({ code: 'invalid_element' }));
  });
});
