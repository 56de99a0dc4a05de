import type { ConnectEvent } from './connect-message';
import type { FlinksConnectError, FlinksConnectState } from './types';
import type { Connection } from './wire';

/** Everything that can happen to the flow; `reduce` decides what it changes. */
export type FlinksConnectAction =
  /** `start()`: a new Connect session is being minted. */
  | { type: 'start' }
  /** The proxy returned a Connect session (first one or a renewal). */
  | { type: 'session'; url: string }
  /** A validated iframe event. */
  | { type: 'event'; event: ConnectEvent }
  /** The proxy accepted (or refreshed) the connection for the linked login. */
  | { type: 'connected'; connection: Connection }
  /** A newer status of that connection. */
  | { type: 'progress'; connection: Connection }
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
  connection: null,
  error: null,
  events: [],
};

// Iframe errors that end the link; the others (INVALID_PASSWORD, RETRY_LATER, …) the iframe handles.
const FATAL = /^(DISABLED_LOGIN|DISABLED_INSTITUTION|NEW_ACCOUNT|UNAUTHORIZED|AGGREGATION_ERROR)$/;

/**
 * True while the iframe drives the flow: `ready`, `linking`, or an error the iframe reported
 * (the user may still pick another bank there).
 */
export function isLinkable({ status, error }: FlinksConnectState): boolean {
  return status === 'ready' || status === 'linking' || error?.code === 'flinks_error';
}

function settle(state: FlinksConnectState, connection: Connection): FlinksConnectState {
  const { status } = connection;
  return status === 'ready'
    ? { ...state, connection, status: 'complete' }
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
  const { loginId, institution = null, requestId = null, tag = null } = event;
  return { ...next, status: 'linked', error: null, loginId, institution, requestId, tag };
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
        ? settle(state, action.connection)
        : state;
    case 'progress': {
      const { connection } = action;
      return status === 'retrieving' &&
        state.connection?.id === connection.id &&
        connection.version > state.connection.version
        ? settle(state, connection)
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
