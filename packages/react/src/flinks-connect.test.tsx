import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { FlinksConnect } from './flinks-connect';
import { createCountingMessageSource, getIframe, postFromIframe } from './test-iframe';
import { connectOptions, REDIRECT, renderConnect as renderWith, statusOf } from './test-render';
import { setupFakeProxy } from './test-setup';
import {
  DEFAULT_IFRAME_TITLE,
  IFRAME_SANDBOX,
  type UseFlinksConnectOptions,
} from './use-flinks-connect';

const proxy = setupFakeProxy();
const options = (overrides?: Partial<UseFlinksConnectOptions>) =>
  connectOptions(proxy.current, overrides);
const renderConnect = (props?: Partial<UseFlinksConnectOptions>, label?: string) =>
  renderWith(proxy.current, props, label);

describe('<FlinksConnect>', () => {
  it('renders the iframe once the session is ready, and the status below it', async () => {
    renderConnect({}, 'bank');
    expect(screen.getByTestId('bank-status').textContent).toMatch(/^(idle|loading) /);
    expect(document.querySelector('iframe')).toBeNull();
    await statusOf('bank', 'ready');
    const iframe = getIframe();
    expect(iframe.getAttribute('src')).toMatch(/authorizeToken=token-1/);
    expect(iframe.getAttribute('title')).toBe(DEFAULT_IFRAME_TITLE);
    expect(iframe.getAttribute('sandbox')).toBe(IFRAME_SANDBOX);

    act(() => postFromIframe(iframe, REDIRECT));
    await statusOf('bank', 'retrieving');
    act(() => {
      proxy.current.update('connection-1', { status: 'processing', attempt: 1 });
    });
    await statusOf('bank', 'retrieving 1');
  });

  it('ignores messages from another origin or another window', async () => {
    const onLinked = vi.fn();
    renderConnect({ onLinked });
    await statusOf('bank', 'ready');
    const iframe = getIframe();
    act(() => {
      postFromIframe(iframe, REDIRECT, { origin: 'https://connect.test.evil.example' });
      postFromIframe(iframe, REDIRECT, { source: window });
      postFromIframe(iframe, REDIRECT, { source: null });
    });
    await act(() => Promise.resolve());
    expect(screen.getByTestId('bank-status').textContent).toMatch(/^ready /);
    expect(onLinked).not.toHaveBeenCalled();
    expect(proxy.current.connectionRequests).toHaveLength(0);
  });

  it('starts one session and keeps one message listener under StrictMode', async () => {
    const messages = createCountingMessageSource();
    const onLinked = vi.fn();
    render(
      <StrictMode>
        <FlinksConnect {...options({ messageSource: messages.source, onLinked })}>
          {(flinks) => <p data-testid="bank-status">{`${flinks.status} `}</p>}
        </FlinksConnect>
      </StrictMode>,
    );
    await statusOf('bank', 'ready');
    await act(() => Promise.resolve());
    expect(proxy.current.sessionCount).toBe(1);
    expect(messages.active).toBe(1);

    // The surviving store is the one that works: the link goes through, once.
    act(() => postFromIframe(getIframe(), REDIRECT));
    await statusOf('bank', 'retrieving');
    expect(onLinked).toHaveBeenCalledTimes(1);
    expect(proxy.current.connectionRequests).toHaveLength(1);
  });

  it('removes every listener and closes the event stream on unmount', async () => {
    const messages = createCountingMessageSource();
    const onComplete = vi.fn();
    const { unmount } = renderConnect({ messageSource: messages.source, onComplete });
    await statusOf('bank', 'ready');
    act(() => postFromIframe(getIframe(), REDIRECT));
    await statusOf('bank', 'retrieving');
    await waitFor(() =>
      expect(proxy.current.streams.some((stream) => stream.readyState === 1)).toBe(true),
    );

    unmount();
    await act(() => Promise.resolve());
    expect(messages.active).toBe(0);
    expect(proxy.current.streams.length).toBeGreaterThan(0);
    for (const stream of proxy.current.streams) {
      expect(stream.closed).toBe(true);
    }
    proxy.current.update('connection-1', { status: 'ready' });
    await act(() => Promise.resolve());
    expect(onComplete).not.toHaveBeenCalled();
  });

  it('keeps two instances on one page apart', async () => {
    const first = vi.fn();
    const second = vi.fn();
    renderConnect({ onLinked: first }, 'first');
    renderConnect({ onLinked: second }, 'second');
    await statusOf('first', 'ready');
    await statusOf('second', 'ready');
    const firstFrame = getIframe(screen.getByRole('region', { name: 'first' }));
    const secondFrame = getIframe(screen.getByRole('region', { name: 'second' }));
    expect(firstFrame.src).not.toBe(secondFrame.src);

    act(() => postFromIframe(firstFrame, REDIRECT));
    await statusOf('first', 'retrieving');
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).not.toHaveBeenCalled();
    expect(screen.getByTestId('second-status').textContent).toMatch(/^ready /);
  });

  it('calls the onComplete of the latest render, the iframe gone once linked', async () => {
    const stale = vi.fn();
    const fresh = vi.fn();
    const { rerenderWith } = renderConnect({ onComplete: stale });
    await statusOf('bank', 'ready');
    const iframe = getIframe();
    const src = iframe.src;
    act(() => postFromIframe(iframe, REDIRECT));
    await statusOf('bank', 'retrieving');

    rerenderWith({ onComplete: fresh });
    act(() => {
      proxy.current.update('connection-1', { status: 'ready' });
    });
    await statusOf('bank', 'complete');
    expect(fresh).toHaveBeenCalledTimes(1);
    expect(stale).not.toHaveBeenCalled();
    // Connect's part ended with the link: the iframe went, as in the widget.
    expect(document.querySelector('iframe')).toBeNull();
    expect(iframe.src).toBe(src);
    expect(proxy.current.sessionCount).toBe(1);
  });
});
