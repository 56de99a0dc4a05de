import type { ConnectEvent } from './connect-message';
import { isLinkable } from './iframe-policy';
import type { FlinksConnectError, FlinksConnectState } from './types';
import type { AccountsResponse, Connection } from './wire';

/** Everything that can happen to the flow; `reduce` decides what it changes. */
export type FlinksConnectAction =
  /** `start()`: a new Connect session is being minted. */
  | { type: 'start' }
  /** The proxy returned a Connect session (first one or a renewal). */
  | { type: 'session'; url: string }
  /** A validated iframe event. */
  | { type: 'event'; event: ConnectEvent }
  /**
   * The proxy accepted (or refreshed) the connection for the linked login; `accounts`, once it
   * is ready, when they were read.
   */
  | { type: 'connected'; connection: Connection; accounts?: AccountsResponse | null }
  /** A newer status of that connection. */
  | { type: 'progress'; connection: Connection; accounts?: AccountsResponse | null }
  | { type: 'fail'; error: FlinksConnectError }
  | { type: 'reset' };

/** The state before `start()` (and after `reset()`). Do not mutate it. */
export const initialState: FlinksConnectState = {
  status: 'idle',
  url: null,
  step: null,
  loginId: null,
  institution: null,
  requestId: null,
  tag: null,
  accountIds: [],
  connection: null,
  accounts: null,
  error: null,
  events: [],
};

// Iframe errors that end the link; the others (INVALID_PASSWORD, RETRY_LATER, …) the iframe handles.
const FATAL = /^(DISABLED_LOGIN|DISABLED_INSTITUTION|NEW_ACCOUNT|UNAUTHORIZED|AGGREGATION_ERROR)$/;

function settle(
  state: FlinksConnectState,
  { connection, accounts = null }: { connection: Connection; accounts?: AccountsResponse | null },
): FlinksConnectState {
  const { status } = connection;
  return status === 'ready'
    ? { ...state, connection, accounts, status: 'complete', error: null }
    : status === 'failed' || status === 'timed_out'
      ? {
          ...state,
          connection,
          status: 'error',
          error: connection.error ?? {
            code: 'retrieval_timed_out',
            message: 'The bank data did not arrive in time; retry.',
            recoverable: true,
          },
        }
      : { ...state, connection, status: 'retrieving', error: null };
}

function applyEvent(state: FlinksConnectState, event: ConnectEvent): FlinksConnectState {
  const next = { ...state, step: event.step, events: [...state.events, event].slice(-50) };
  if (!isLinkable(state)) return next;
  const flinksCode =
    event.type === 'error' ? event.flinksCode : event.type === 'disabled-institution' && event.step;
  if (flinksCode && FATAL.test(flinksCode)) {
    const error: FlinksConnectError = {
      code: 'flinks_error',
      message: `Flinks could not link this account (${flinksCode}); retry or choose another bank.`,
      recoverable: !/UNAUTHORIZED|DISABLED_LOGIN/.test(flinksCode),
      flinksCode,
    };
    return { ...next, status: 'error', error };
  }
  if (event.type === 'close-session') return { ...next, status: 'closed' };
  if (event.type !== 'redirect') return { ...next, status: 'linking', error: null };
  const { loginId, accountIds, institution = null, requestId = null, tag = null } = event;
  return {
    ...next,
    status: 'linked',
    error: null,
    loginId,
    accountIds,
    institution,
    requestId,
    tag,
  };
}

/**
 * The whole state machine, pure: `idle → loading → ready → linking → linked → retrieving →
 * complete | error | closed`. An action that makes no sense in the current state returns the
 * same state object (ignored, never thrown).
 */
export function reduce(state: FlinksConnectState, action: FlinksConnectAction): FlinksConnectState {
  const { status } = state;
  switch (action.type) {
    case 'start':
      return /loading|linked|retrieving/.test(status)
        ? state
        : { ...initialState, status: 'loading' };
    case 'session':
      return status === 'loading' || isLinkable(state)
        ? { ...state, status: 'ready', url: action.url, error: null }
        : state;
    case 'event':
      return state.url && status !== 'closed' ? applyEvent(state, action.event) : state;
    case 'connected':
      return status === 'linked' || (status === 'error' && state.loginId)
        ? settle(state, action)
        : state;
    case 'progress': {
      const { connection } = action;
      return status === 'retrieving' &&
        state.connection?.id === connection.id &&
        connection.version > state.connection.version
        ? settle(state, action)
        : state;
    }
    case 'fail':
      return /idle|complete|closed/.test(status)
        ? state
        : { ...state, status: 'error', error: action.error };
    case 'reset':
      return status === 'idle' ? state : initialState;
  }
  return state;
}
