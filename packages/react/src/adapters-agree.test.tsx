import { type Connection, IFRAME_SANDBOX } from '@flinkit/core';
import { mount, type WidgetHandle } from '@flinkit/widget';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FlinksConnect } from './flinks-connect';

/**
 * `@flinkit/react` and `@flinkit/widget` side by side on one page, over the same scripted proxy
 * and the same iframe messages: in every state both render the Connect iframe, or neither, with
 * core's sandbox.
 */

const PROXY = 'https://proxy.test';
const CONNECT = 'https://connect.test/v2/?authorizeToken=t';

const base: Connection = {
  id: 'conn_1',
  status: 'processing',
  institution: 'FlinksCapital',
  tag: null,
  retrievalId: 'ret_1',
  attempt: 1,
  startedAt: '2030-01-01T00:00:00.000Z',
  nextPollAt: null,
  deadlineAt: '2030-01-01T00:30:00.000Z',
  completedAt: null,
  updatedAt: '2030-01-01T00:00:00.000Z',
  version: 1,
  error: null,
  lastRefresh: null,
  stale: null,
};

/** The proxy of both adapters: a session at once (unless held), and `connection` for the link. */
function scriptedFetch(connection: Connection, hold: { session?: boolean; link?: boolean }) {
  const waiting: (() => void)[] = [];
  const answer = (body: unknown, held = false) =>
    new Promise<Response>((resolve) => {
      const respond = () => resolve(Response.json(body, { status: 200 }));
      if (held) waiting.push(respond);
      else respond();
    });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const path = String(input).replace(PROXY, '');
    if (path === '/v1/connect/sessions') {
      return answer({ url: CONNECT, expiresAt: '2099-01-01T00:00:00.000Z' }, hold.session);
    }
    if (path === '/v1/connections' && init?.method === 'POST') {
      return answer({ connection }, hold.link);
    }
    if (path === '/v1/connections/conn_1') return answer({ connection });
    if (path.startsWith('/v1/connections/conn_1/accounts')) {
      return answer({
        view: 'summary',
        connectionId: 'conn_1',
        institution: null,
        retrievedAt: '',
        accounts: [],
      });
    }
    throw new Error(`unexpected ${path}`);
  };
  const release = () => {
    for (const respond of waiting.splice(0)) respond();
  };
  return { fetch, release };
}

const widgets: WidgetHandle[] = [];
afterEach(async () => {
  for (const widget of widgets.splice(0)) widget.destroy();
  cleanup();
  await Promise.resolve();
  document.body.innerHTML = '';
});

/** Both adapters, mounted over the same script; `post` sends one message from each iframe. */
function both(connection: Connection, hold: { session?: boolean; link?: boolean } = {}) {
  const proxy = scriptedFetch(connection, hold);
  render(
    <FlinksConnect proxyUrl={PROXY} fetch={proxy.fetch}>
      {(flinks) => <p data-testid="react-status">{flinks.status}</p>}
    </FlinksConnect>,
    { container: document.body.appendChild(document.createElement('section')) },
  );
  const host = document.body.appendChild(document.createElement('div'));
  widgets.push(mount(host, { proxyUrl: PROXY, fetch: proxy.fetch, language: 'en' }));
  const frames = () => ({
    react: document.querySelector<HTMLIFrameElement>('section iframe'),
    widget: host.querySelector('iframe'),
  });
  const post = (data: unknown) =>
    act(() => {
      for (const iframe of Object.values(frames())) {
        const source = iframe?.contentWindow ?? null;
        window.dispatchEvent(
          new MessageEvent('message', { data, origin: 'https://connect.test', source }),
        );
      }
    });
  /** Waits for React's `status`, then checks both adapters agree on `visible`. */
  const expectState = async (status: string, visible: boolean) => {
    await waitFor(() => expect(screen.getByTestId('react-status').textContent).toBe(status));
    await waitFor(() => {
      const { react, widget } = frames();
      expect({ react: !!react, widget: !!widget }).toEqual({ react: visible, widget: visible });
    });
    if (visible) {
      const { react, widget } = frames();
      expect(react?.getAttribute('sandbox')).toBe(IFRAME_SANDBOX);
      expect(widget?.getAttribute('sandbox')).toBe(IFRAME_SANDBOX);
    }
  };
  return { post, expectState, release: () => act(proxy.release) };
}

describe('the React and widget adapters', () => {
  it('agree from loading to a link, through an error Connect reported', async () => {
    const { post, expectState, release } = both(base, { session: true, link: true });
    await expectState('loading', false);
    await release();
    await expectState('ready', true);
    await post({ step: 'APP_MOUNTED' });
    await expectState('linking', true);
    await post({ flinksCode: 'NEW_ACCOUNT', institution: 'FlinksCapital' });
    await expectState('error', true);
    await post({ step: 'COMPONENT_LOAD_INSTITUTION_SELECTOR' });
    await expectState('linking', true);
    await post({ step: 'REDIRECT', loginId: 'login-1' });
    await expectState('linked', false);
    await release();
    await expectState('retrieving', false);
  });

  it('agree once complete', async () => {
    const { post, expectState } = both({ ...base, status: 'ready' });
    await expectState('ready', true);
    await post({ step: 'REDIRECT', loginId: 'login-1' });
    await expectState('complete', false);
  });

  it('agree on a Flinks error of the retrieval: not Connect’s, no iframe', async () => {
    const error = {
      code: 'flinks_error',
      message: 'm',
      recoverable: false,
      flinksCode: 'DISABLED_LOGIN',
    };
    const { post, expectState } = both({ ...base, status: 'failed', error });
    await expectState('ready', true);
    await post({ step: 'REDIRECT', loginId: 'login-1' });
    await expectState('error', false);
  });

  it('agree once the customer closed Connect', async () => {
    const { post, expectState } = both(base);
    await expectState('ready', true);
    await post({ step: 'COMPONENT_CLOSE_SESSION' });
    await expectState('closed', false);
  });
});
