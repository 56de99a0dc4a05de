import type { Connection, FlinksConnectError } from '@flinkit/core';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { postFromIframe } from './test-iframe';
import { USER_TOKEN } from './test-proxy';
import { connectOptions, REDIRECT } from './test-render';
import { setupFakeProxy } from './test-setup';
import {
  DEFAULT_IFRAME_TITLE,
  IFRAME_SANDBOX,
  type UseFlinksConnectOptions,
  useFlinksConnect,
} from './use-flinks-connect';

const proxy = setupFakeProxy();
const options = (overrides?: Partial<UseFlinksConnectOptions>) =>
  connectOptions(proxy.current, overrides);

describe('useFlinksConnect', () => {
  it('follows the iframe and the proxy from idle to complete', async () => {
    const onLinked = vi.fn();
    const onProgress = vi.fn<(connection: Connection) => void>();
    const onComplete = vi.fn<(connection: Connection) => void>();
    const { result } = renderHook(() =>
      useFlinksConnect(options({ onLinked, onProgress, onComplete })),
    );
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(result.current.url).toMatch(/^https:\/\/connect\.test\/v2\/\?authorizeToken=token-1/);
    expect(result.current.iframeProps.src).toBe(result.current.url);

    const iframe = document.createElement('iframe');
    document.body.append(iframe);
    onTestFinished(() => iframe.remove());
    act(() => {
      iframe.src = result.current.url ?? '';
      result.current.iframeProps.ref(iframe);
    });
    act(() => postFromIframe(iframe, { step: 'APP_MOUNTED' }));
    expect(result.current.status).toBe('linking');
    expect(result.current.step).toBe('APP_MOUNTED');

    act(() => postFromIframe(iframe, REDIRECT));
    await waitFor(() => expect(result.current.status).toBe('retrieving'));
    expect(result.current.loginId).toBe('login-1');
    expect(onLinked).toHaveBeenCalledWith({ loginId: 'login-1', institution: 'FlinksCapital' });
    expect(proxy.current.connectionRequests).toEqual([
      expect.objectContaining({ loginId: 'login-1', institution: 'FlinksCapital' }),
    ]);

    const nextPollAt = '2026-01-01T00:00:20.000Z';
    act(() => {
      proxy.current.update('connection-1', { status: 'processing', attempt: 2, nextPollAt });
    });
    await waitFor(() => expect(result.current.connection?.attempt).toBe(2));
    expect(result.current.connection?.nextPollAt).toBe(nextPollAt);
    expect(result.current.status).toBe('retrieving');
    expect(onProgress).toHaveBeenCalledWith(expect.objectContaining({ attempt: 2 }));

    act(() => {
      proxy.current.update('connection-1', { status: 'ready', attempt: 3 });
    });
    await waitFor(() => expect(result.current.status).toBe('complete'));
    expect(onComplete).toHaveBeenCalledTimes(1);
    expect(onComplete.mock.calls[0]?.[0]).toMatchObject({ id: 'connection-1', status: 'ready' });
    expect(result.current.events.map((event) => event.step)).toEqual(['APP_MOUNTED', 'REDIRECT']);
  });

  it('waits for start() with autoStart: false, and reset() goes back to idle', async () => {
    const { result } = renderHook(() => useFlinksConnect(options({ autoStart: false })));
    expect(result.current.status).toBe('idle');
    expect(result.current.iframeProps.src).toBeUndefined();
    await act(() => Promise.resolve());
    expect(proxy.current.sessionCount).toBe(0);

    await act(() => result.current.start());
    expect(result.current.status).toBe('ready');
    expect(proxy.current.sessionCount).toBe(1);

    act(() => result.current.reset());
    expect(result.current.status).toBe('idle');
    expect(result.current.url).toBeNull();
  });

  it('gives the iframe a title, a sandbox, and the session url as src', async () => {
    const { result, rerender } = renderHook((title?: string) =>
      useFlinksConnect(options(title === undefined ? {} : { title })),
    );
    expect(result.current.iframeProps).toMatchObject({ title: DEFAULT_IFRAME_TITLE });
    expect(result.current.iframeProps.sandbox).toBe(IFRAME_SANDBOX);
    expect(IFRAME_SANDBOX.split(' ')).not.toContain('allow-top-navigation');
    await waitFor(() => expect(result.current.iframeProps.src).toBeDefined());
    rerender('Link your bank');
    expect(result.current.iframeProps.title).toBe('Link your bank');
  });

  it('reports a proxy error through state and onError, and retry() starts a new session', async () => {
    const onError = vi.fn<(error: FlinksConnectError) => void>();
    let token = 'expired';
    const { result } = renderHook(() =>
      useFlinksConnect(options({ getToken: () => token, onError })),
    );
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current.error).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'unauthorized' }));

    token = USER_TOKEN;
    await act(() => result.current.retry());
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(result.current.error).toBeNull();
    expect(proxy.current.sessionCount).toBe(1);
  });

  it('calls the latest getToken, not the one of the first render', async () => {
    const { result, rerender } = renderHook(
      (getToken: () => string) => useFlinksConnect(options({ getToken, autoStart: false })),
      { initialProps: () => 'stale-token' },
    );
    rerender(() => USER_TOKEN);
    await act(() => result.current.start());
    expect(result.current.status).toBe('ready');
  });
});
