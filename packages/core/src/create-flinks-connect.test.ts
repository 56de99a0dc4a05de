import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFlinksConnect } from './create-flinks-connect';
import { createManualTimers, makeConnection } from './test-helpers';
import type {
  EventSourceFactory,
  EventSourceLike,
  FlinksConnectOptions,
  MessageSource,
} from './types';
import type { AccountsResponse, Connection, CreateConnectionRequest } from './wire';

const PROXY = 'https://proxy.test';
const SUMMARY: AccountsResponse = {
  view: 'summary',
  connectionId: 'conn_1',
  institution: 'FlinksCapital',
  retrievedAt: '2030-01-01T00:01:00.000Z',
  accounts: [],
};
const ORIGIN = 'https://toolbox-iframe.private.fin.ag';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  document.body.replaceChildren();
});
afterAll(() => server.close());

/** The proxy: numbered sessions, connections answered with `connection`, every body recorded. */
function proxy(connection: Connection = makeConnection()) {
  const record = { sessions: 0, connections: [] as CreateConnectionRequest[], refreshes: 0 };
  server.use(
    http.post(`${PROXY}/v1/connect/sessions`, () => {
      record.sessions++;
      return HttpResponse.json({
        url: `${ORIGIN}/v2/?authorizeToken=tok-${record.sessions}`,
        expiresAt: new Date(Date.parse('2030-01-01T00:30:00Z')).toISOString(),
      });
    }),
    http.post(`${PROXY}/v1/connections`, async ({ request }) => {
      record.connections.push((await request.json()) as CreateConnectionRequest);
      return HttpResponse.json({ connection }, { status: 202 });
    }),
    http.post(`${PROXY}/v1/connections/:id/ticket`, () =>
      HttpResponse.json({ ticket: 'tk', expiresAt: 'e' }),
    ),
    http.post(`${PROXY}/v1/connections/:id/refresh`, () => {
      record.refreshes++;
      return HttpResponse.json({ connection: makeConnection({ status: 'pending', version: 10 }) });
    }),
  );
  return record;
}

/** EventSource stand-ins the test drives: `emit` a status, see what was opened and closed. */
function streams() {
  const opened: { url: string; closed: boolean; emit(connection: Connection): void }[] = [];
  const factory: EventSourceFactory = (url) => {
    const listeners: ((event: MessageEvent) => void)[] = [];
    const entry = {
      url,
      closed: false,
      emit: (connection: Connection) => {
        for (const listener of listeners)
          listener(new MessageEvent('status', { data: JSON.stringify(connection) }));
      },
    };
    opened.push(entry);
    const source: EventSourceLike = {
      readyState: 1,
      onopen: null,
      onerror: null,
      addEventListener: (_, listener) => listeners.push(listener),
      removeEventListener: () => {},
      close: () => {
        entry.closed = true;
      },
    };
    return source;
  };
  return { opened, factory };
}

/** `window` as the message source, counting listeners added and removed. */
function countingWindow() {
  const counts = { added: 0, removed: 0 };
  const source: MessageSource = {
    addEventListener: (type, listener) => {
      counts.added++;
      window.addEventListener(type, listener);
    },
    removeEventListener: (type, listener) => {
      counts.removed++;
      window.removeEventListener(type, listener);
    },
  };
  return { counts, source };
}

function setup(overrides: Partial<FlinksConnectOptions> = {}) {
  const iframe = document.createElement('iframe');
  document.body.append(iframe);
  const timers = createManualTimers();
  const { opened, factory } = streams();
  const { counts, source } = countingWindow();
  const callbacks = {
    onEvent: vi.fn(),
    onLinked: vi.fn(),
    onProgress: vi.fn(),
    onComplete: vi.fn(),
    onError: vi.fn(),
  };
  const connect = createFlinksConnect({
    proxyUrl: PROXY,
    getToken: () => 'user-token',
    timers,
    eventSource: factory,
    messageSource: source,
    ...callbacks,
    ...overrides,
  });
  const post = (data: unknown, origin = ORIGIN) =>
    window.dispatchEvent(
      new MessageEvent('message', { data, origin, source: iframe.contentWindow }),
    );
  return { connect, iframe, timers, opened, counts, callbacks, post };
}

describe('createFlinksConnect', () => {
  it('runs start → ready → linking → linked → retrieving → complete, each callback once', async () => {
    const record = proxy(makeConnection({ status: 'pending', version: 1 }));
    const { connect, iframe, opened, callbacks, post } = setup();
    const statuses: string[] = [];
    connect.subscribe((state, previous) => {
      if (state.status !== previous.status) statuses.push(state.status);
    });
    connect.attach(iframe);
    await connect.start();
    expect(connect.getState()).toMatchObject({
      status: 'ready',
      url: `${ORIGIN}/v2/?authorizeToken=tok-1`,
    });

    post({ step: 'APP_MOUNTED' });
    post({ step: 'REDIRECT', loginId: 'stolen' }, `${ORIGIN}.evil.example`);
    post({ step: 'INSTITUTION_SELECTED', institution: 'FlinksCapital' });
    post({
      step: 'REDIRECT',
      loginId: 'login-1',
      requestId: 'req-1',
      institution: 'FlinksCapital',
    });
    expect(callbacks.onEvent.mock.calls.map(([event]) => event.type)).toEqual([
      'app-mounted',
      'institution-selected',
      'redirect',
    ]);
    expect(callbacks.onLinked).toHaveBeenCalledWith({
      loginId: 'login-1',
      institution: 'FlinksCapital',
    });

    await vi.waitFor(() => expect(opened).toHaveLength(1));
    expect(record.connections).toEqual([
      { loginId: 'login-1', institution: 'FlinksCapital', requestId: 'req-1' },
    ]);
    expect(connect.getState()).toMatchObject({
      status: 'retrieving',
      loginId: 'login-1',
      requestId: 'req-1',
    });
    expect(opened[0]?.url).toBe(`${PROXY}/v1/connections/conn_1/events?ticket=tk`);

    opened[0]?.emit(makeConnection({ status: 'processing', version: 2, attempt: 1 }));
    expect(connect.getState().connection).toMatchObject({ status: 'processing', attempt: 1 });
    opened[0]?.emit(makeConnection({ status: 'ready', version: 3, attempt: 2 }));

    expect(connect.getState().status).toBe('complete');
    expect(statuses).toEqual(['loading', 'ready', 'linking', 'linked', 'retrieving', 'complete']);
    expect(callbacks.onLinked).toHaveBeenCalledOnce();
    expect(callbacks.onComplete).toHaveBeenCalledOnce();
    expect(callbacks.onComplete).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'ready', version: 3 }),
      null,
    );
    expect(callbacks.onProgress.mock.calls.map(([connection]) => connection.version)).toEqual([
      1, 2, 3,
    ]);
    expect(callbacks.onError).not.toHaveBeenCalled();
    expect(opened[0]?.closed).toBe(true);
  });

  it('sends the accounts chosen in Connect with the link, and no empty list', async () => {
    const record = proxy(makeConnection({ status: 'processing', version: 1 }));
    const { connect, iframe, post, opened } = setup();
    connect.attach(iframe);
    await connect.start();
    post({ step: 'REDIRECT', loginId: 'login-1', accountId: ['acc-1', 'acc-2'] });
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    expect(connect.getState().accountIds).toEqual(['acc-1', 'acc-2']);
    connect.reset();
    await connect.start();
    post({ step: 'REDIRECT', loginId: 'login-2', url: 'https://shop.test/done?loginId=login-2' });
    await vi.waitFor(() => expect(opened).toHaveLength(2));
    expect(record.connections).toEqual([
      { loginId: 'login-1', accountIds: ['acc-1', 'acc-2'] },
      { loginId: 'login-2' },
    ]);
  });

  it('with fetchAccounts, completes only once the accounts are read, and hands them over', async () => {
    proxy(makeConnection({ status: 'processing', version: 1 }));
    const views: (string | null)[] = [];
    let answer = () => HttpResponse.json(SUMMARY);
    server.use(
      http.get(`${PROXY}/v1/connections/conn_1/accounts`, ({ request }) => {
        views.push(new URL(request.url).searchParams.get('view'));
        return answer();
      }),
    );
    const { connect, iframe, post, opened, callbacks } = setup({ fetchAccounts: 'summary' });
    connect.attach(iframe);
    await connect.start();
    post({ step: 'REDIRECT', loginId: 'login-1' });
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    opened[0]?.emit(makeConnection({ status: 'ready', version: 2 }));
    // Still retrieving while the accounts are read: `complete` never shows without them.
    expect(connect.getState()).toMatchObject({ status: 'retrieving', accounts: null });
    await vi.waitFor(() => expect(connect.getState().status).toBe('complete'));
    expect(connect.getState().accounts).toEqual(SUMMARY);
    expect(views).toEqual(['summary']);
    expect(callbacks.onComplete).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'ready', version: 2 }),
      SUMMARY,
    );

    // Accounts that cannot be read do not undo the link: complete, without them.
    answer = () =>
      HttpResponse.json({ error: { code: 'x', message: 'm', recoverable: true } }, { status: 500 });
    connect.reset();
    await connect.start();
    post({ step: 'REDIRECT', loginId: 'login-1' });
    await vi.waitFor(() => expect(opened).toHaveLength(2));
    opened[1]?.emit(makeConnection({ status: 'ready', version: 2 }));
    await vi.waitFor(() => expect(connect.getState().status).toBe('complete'));
    expect(connect.getState()).toMatchObject({ accounts: null, error: null });
    expect(callbacks.onComplete).toHaveBeenLastCalledWith(expect.anything(), null);
  });

  it('reads no accounts without fetchAccounts', async () => {
    // An accounts request would fail the test (onUnhandledRequest: 'error').
    proxy(makeConnection({ status: 'ready', version: 1 }));
    const { connect, iframe, post, callbacks } = setup();
    connect.attach(iframe);
    await connect.start();
    post({ step: 'REDIRECT', loginId: 'login-1' });
    await vi.waitFor(() => expect(connect.getState().status).toBe('complete'));
    expect(connect.getState().accounts).toBeNull();
    expect(callbacks.onComplete).toHaveBeenCalledWith(expect.anything(), null);
  });

  it('mints a new session when the iframe reports TOKEN_INVALID, at most twice per start()', async () => {
    const record = proxy();
    const { connect, iframe, post, callbacks } = setup();
    connect.attach(iframe);
    await connect.start();
    post({ step: 'APP_MOUNTED' });
    post({ step: 'TOKEN_INVALID' });
    await vi.waitFor(() => expect(connect.getState().url).toContain('tok-2'));
    expect(connect.getState().status).toBe('ready');
    // The listener follows the new session.
    post({ step: 'TOKEN_INVALID' });
    await vi.waitFor(() => expect(connect.getState().url).toContain('tok-3'));
    post({ step: 'TOKEN_INVALID' });
    expect(connect.getState()).toMatchObject({
      status: 'error',
      error: { code: 'session_expired', recoverable: true },
    });
    expect(callbacks.onError).toHaveBeenCalledOnce();
    expect(record.sessions).toBe(3);

    await connect.retry();
    expect(connect.getState()).toMatchObject({
      status: 'ready',
      url: expect.stringContaining('tok-4'),
    });
    post({ step: 'TOKEN_INVALID' });
    await vi.waitFor(() => expect(connect.getState().url).toContain('tok-5'));
  });

  it('mints a new session when the session expires before a link', async () => {
    const record = proxy();
    const { connect, timers } = setup();
    await connect.start();
    expect(timers.pending()).toEqual([30 * 60_000]);
    timers.advance(30 * 60_000);
    await vi.waitFor(() => expect(connect.getState().url).toContain('tok-2'));
    expect(record.sessions).toBe(2);
  });

  it('stops the expiry timer once linked', async () => {
    proxy();
    const { connect, iframe, timers, post, opened } = setup();
    connect.attach(iframe);
    await connect.start();
    post({ step: 'REDIRECT', loginId: 'login-1' });
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    expect(timers.pending()).toEqual([]);
  });

  it('turns a fatal iframe error into error, and retry() starts over', async () => {
    const record = proxy();
    const { connect, iframe, post, callbacks } = setup();
    connect.attach(iframe);
    await connect.start();
    post({ step: 'SUBMIT_CREDENTIAL', institution: 'FlinksCapital' });
    post({ flinksCode: 'INVALID_PASSWORD' });
    expect(connect.getState().status).toBe('linking');
    post({ flinksCode: 'DISABLED_LOGIN', institution: 'FlinksCapital' });
    expect(connect.getState()).toMatchObject({
      status: 'error',
      error: { code: 'flinks_error', flinksCode: 'DISABLED_LOGIN', recoverable: false },
    });
    expect(callbacks.onError).toHaveBeenCalledOnce();
    await connect.retry();
    expect(connect.getState()).toMatchObject({ status: 'ready', events: [] });
    expect(record.sessions).toBe(2);
  });

  it('retries a failed retrieval with refresh when the error is recoverable', async () => {
    const record = proxy(makeConnection({ status: 'processing', version: 1 }));
    const { connect, iframe, post, opened } = setup();
    connect.attach(iframe);
    await connect.start();
    post({ step: 'REDIRECT', loginId: 'login-1' });
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    opened[0]?.emit(
      makeConnection({
        status: 'failed',
        version: 2,
        error: { code: 'flinks_error', message: 'm', recoverable: true },
      }),
    );
    expect(connect.getState().status).toBe('error');
    await connect.retry();
    expect(record.refreshes).toBe(1);
    expect(record.sessions).toBe(1);
    expect(connect.getState()).toMatchObject({ status: 'retrieving', connection: { version: 10 } });
    await vi.waitFor(() => expect(opened).toHaveLength(2));
    opened[1]?.emit(makeConnection({ status: 'ready', version: 11 }));
    expect(connect.getState().status).toBe('complete');
  });

  it('hands the link to the proxy again on retry() when that failed the first time', async () => {
    const record = proxy(makeConnection({ status: 'processing', version: 1 }));
    let refused = 0;
    server.use(
      http.post(`${PROXY}/v1/connections`, () => {
        if (refused++ === 0) return HttpResponse.error();
      }),
    );
    const { connect, iframe, post, opened, callbacks } = setup();
    connect.attach(iframe);
    await connect.start();
    post({ step: 'REDIRECT', loginId: 'login-1', tag: 'order-9' });
    await vi.waitFor(() => expect(connect.getState().status).toBe('error'));
    expect(connect.getState()).toMatchObject({
      loginId: 'login-1',
      connection: null,
      error: { code: 'network_error', recoverable: true },
    });
    expect(callbacks.onError).toHaveBeenCalledOnce();
    await connect.retry();
    expect(record.connections).toEqual([{ loginId: 'login-1', tag: 'order-9' }]);
    expect(record.sessions).toBe(1);
    expect(connect.getState()).toMatchObject({ status: 'retrieving', error: null });
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    opened[0]?.emit(makeConnection({ status: 'ready', version: 2 }));
    expect(connect.getState().status).toBe('complete');
    expect(callbacks.onComplete).toHaveBeenCalledOnce();
  });

  it('reports the proxy error when no session can be minted', async () => {
    server.use(
      http.post(`${PROXY}/v1/connect/sessions`, () =>
        HttpResponse.json(
          { error: { code: 'rate_limited', message: 'Wait a minute.', recoverable: true } },
          { status: 429 },
        ),
      ),
    );
    const { connect, callbacks } = setup();
    await connect.start();
    expect(connect.getState()).toMatchObject({
      status: 'error',
      url: null,
      error: { code: 'rate_limited', message: 'Wait a minute.', recoverable: true, status: 429 },
    });
    expect(callbacks.onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'rate_limited' }),
    );
  });

  it('calls the callbacks set last', async () => {
    proxy();
    const { connect, iframe, post, callbacks } = setup();
    connect.attach(iframe);
    await connect.start();
    const onEvent = vi.fn();
    connect.setCallbacks({ onEvent });
    post({ step: 'APP_MOUNTED' });
    expect(onEvent).toHaveBeenCalledOnce();
    expect(callbacks.onEvent).not.toHaveBeenCalled();
  });

  it('goes back to idle on reset() and listens again after the next start()', async () => {
    proxy();
    const { connect, iframe, post, counts } = setup();
    connect.attach(iframe);
    await connect.start();
    connect.reset();
    expect(connect.getState().status).toBe('idle');
    expect(counts.added - counts.removed).toBe(0);
    post({ step: 'APP_MOUNTED' });
    expect(connect.getState().events).toEqual([]);
    await connect.start();
    post({ step: 'APP_MOUNTED' });
    expect(connect.getState().status).toBe('linking');
  });

  it('leaves no listener, stream or timer after destroy(), and nothing fires', async () => {
    const record = proxy();
    const { connect, iframe, post, counts, timers, opened, callbacks } = setup();
    connect.attach(iframe);
    connect.attach(iframe);
    await connect.start();
    post({ step: 'REDIRECT', loginId: 'login-1' });
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    connect.destroy();
    expect(counts.added).toBeGreaterThan(0);
    expect(counts.added - counts.removed).toBe(0);
    expect(opened[0]?.closed).toBe(true);
    expect(timers.pending()).toEqual([]);

    const calls = Object.values(callbacks).map((callback) => callback.mock.calls.length);
    const state = connect.getState();
    post({ step: 'APP_MOUNTED' });
    opened[0]?.emit(makeConnection({ status: 'ready', version: 5 }));
    connect.attach(iframe);
    await connect.start();
    await connect.retry();
    connect.reset();
    expect(connect.getState()).toBe(state);
    expect(Object.values(callbacks).map((callback) => callback.mock.calls.length)).toEqual(calls);
    expect(counts.added - counts.removed).toBe(0);
    expect(record.sessions).toBe(1);
  });
});
