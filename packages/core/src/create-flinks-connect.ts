import { createStore } from 'zustand/vanilla';
import type { ConnectEvent } from './connect-message';
import { asFlinkitError } from './flinkit-error';
import { isLinkable } from './iframe-policy';
import { listenToConnect } from './listen-to-connect';
import { createProxyClient } from './proxy-client';
import { type FlinksConnectAction, initialState, reduce } from './reduce';
import { systemTimers } from './timers';
import type {
  FlinksConnect,
  FlinksConnectCallbacks,
  FlinksConnectOptions,
  FlinksConnectState,
} from './types';
import {
  type AccountsResponse,
  type Connection,
  type ConnectionResponse,
  type CreateConnectionRequest,
  isTerminalStatus,
} from './wire';

const MAX_RENEWALS = 2;

/**
 * The whole browser flow as one object: mints a Connect session through the proxy, listens to
 * the iframe (exact origin and source), hands the loginId to the proxy and follows the retrieval
 * until the accounts are stored. State lives in a `zustand/vanilla` store driven by `reduce`.
 *
 * @example
 * const connect = createFlinksConnect({ proxyUrl: 'https://api.example.com', onComplete: show });
 * connect.subscribe((state) => { if (state.url && iframe.src !== state.url) iframe.src = state.url; });
 * connect.attach(iframe);
 * await connect.start();
 */
export function createFlinksConnect(options: FlinksConnectOptions): FlinksConnect {
  const timers = options.timers ?? systemTimers();
  const client = createProxyClient({ ...options, baseUrl: options.proxyUrl, timers });
  const store = createStore<FlinksConnectState>()(() => initialState);
  const get = store.getState;
  let callbacks: FlinksConnectCallbacks = options;
  let destroyed = false;
  // Bumped by start/reset/destroy: answers that belong to an older run are dropped.
  let run = 0;
  let renewals = 0;
  let iframe: HTMLIFrameElement | null = null;
  let unlisten: (() => void) | undefined;
  let unwatch: (() => void) | undefined;
  let expiry: unknown;

  // Callbacks follow from transitions, so each fires once per change, after the store updated.
  const dispatch = (action: FlinksConnectAction): boolean => {
    const previous = get();
    const next = destroyed ? previous : reduce(previous, action);
    if (next === previous) return false;
    store.setState(next, true);
    const { status, connection, error } = next;
    const entered = status !== previous.status;
    if (action.type === 'event') callbacks.onEvent?.(action.event);
    if (entered && status === 'linked') {
      callbacks.onLinked?.({ loginId: next.loginId!, institution: next.institution });
      // Once linked the session may expire harmlessly; the proxy takes over with the loginId.
      timers.clearTimeout(expiry);
      follow(run, createConnection());
    }
    if (connection && connection !== previous.connection) callbacks.onProgress?.(connection);
    if (entered && status === 'complete') callbacks.onComplete?.(connection!, next.accounts);
    if (status === 'error' && error !== previous.error) callbacks.onError?.(error!);
    return true;
  };
  const fail = (current: number) => (error: unknown) => {
    if (current === run) dispatch({ type: 'fail', error: asFlinkitError(error).toJSON() });
  };
  const stop = () => {
    unlisten?.();
    unwatch?.();
    timers.clearTimeout(expiry);
    unlisten = unwatch = undefined;
  };

  const listen = () => {
    unlisten?.();
    unlisten = undefined;
    const { url } = get();
    if (iframe && url && !destroyed) {
      unlisten = listenToConnect({
        iframe,
        origin: new URL(url).origin,
        onEvent: receive,
        source: options.messageSource,
      });
    }
  };

  const openSession = async (current: number) => {
    try {
      const { url, expiresAt } = await client.createSession(options.session);
      new URL(url); // throws on a malformed answer, before anything listens to it
      if (current !== run || !dispatch({ type: 'session', url })) return;
      listen();
      timers.clearTimeout(expiry);
      // Past or unreadable (clock skew): rely on the iframe's TOKEN_INVALID instead.
      const delay = Math.min(Date.parse(expiresAt) - timers.now(), 2 ** 31 - 1);
      if (delay > 0) expiry = timers.setTimeout(() => isLinkable(get()) && renew(current), delay);
    } catch (error) {
      fail(current)(error);
    }
  };

  const renew = (current: number) => {
    if (renewals++ < MAX_RENEWALS) return openSession(current);
    dispatch({
      type: 'fail',
      error: {
        code: 'session_expired',
        message: 'The Connect session kept expiring; start again.',
        recoverable: true,
      },
    });
  };

  // With `fetchAccounts`, a ready connection waits for its accounts (null when they cannot be
  // read), so `complete` arrives with them; any other status goes through at once.
  const settle = (current: number, type: 'connected' | 'progress', connection: Connection) => {
    const apply = (accounts: AccountsResponse | null = null) =>
      current === run && dispatch({ type, connection, accounts });
    const view = options.fetchAccounts;
    return connection.status === 'ready' && view
      ? client.getAccounts(connection.id, view).then(apply, () => apply())
      : apply();
  };

  // Hands the link to the proxy (or refreshes its retrieval), then follows the retrieval.
  const follow = async (
    current: number,
    answer: ConnectionResponse | Promise<ConnectionResponse>,
  ) => {
    try {
      const { connection } = await answer;
      if (!(await settle(current, 'connected', connection))) return;
      if (get().status !== 'retrieving') return;
      unwatch?.();
      unwatch = client.watch(connection.id, (update) => settle(current, 'progress', update), {
        onError: fail(current),
      });
    } catch (error) {
      fail(current)(error);
    }
  };

  // Only what the REDIRECT gave: no null fields, no empty account list (that means every account).
  const createConnection = () => {
    const { loginId, institution, requestId, tag, accountIds } = get();
    const body = Object.fromEntries(
      Object.entries({ loginId, institution, requestId, tag, accountIds }).filter(
        ([, value]) => value?.length,
      ),
    ) as unknown as CreateConnectionRequest;
    return client.createConnection(body);
  };

  const receive = (event: ConnectEvent) => {
    if (dispatch({ type: 'event', event }) && event.type === 'token-invalid' && isLinkable(get())) {
      renew(run);
    }
  };

  const start = async () => {
    if (!dispatch({ type: 'start' })) return;
    stop();
    renewals = 0;
    await openSession(++run);
  };

  return {
    getState: get,
    subscribe: store.subscribe,
    start,
    attach(next) {
      iframe = next;
      listen();
    },
    async retry() {
      const { status, error, connection, loginId } = get();
      if (destroyed) return;
      if (status !== 'error' || !error?.recoverable || !loginId) return start();
      await follow(
        run,
        !connection
          ? createConnection()
          : isTerminalStatus(connection.status)
            ? client.refresh(connection.id)
            : { connection },
      );
    },
    reset() {
      run++;
      stop();
      dispatch({ type: 'reset' });
    },
    destroy() {
      run++;
      stop();
      destroyed = true;
      iframe = null;
    },
    setCallbacks(next) {
      callbacks = next;
    },
  };
}
