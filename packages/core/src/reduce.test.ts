import { describe, expect, it } from 'vitest';
import type { ConnectEvent } from './connect-message';
import { type FlinksConnectAction, initialState, reduce } from './reduce';
import { makeConnection } from './test-helpers';
import type { FlinksConnectState, FlinksConnectStatus } from './types';

const URL_1 = 'https://toolbox-iframe.private.fin.ag/v2/?authorizeToken=t1';
const pending = makeConnection({ status: 'processing', version: 2 });
const flinksError = {
  code: 'flinks_error',
  message: 'm',
  recoverable: true,
  flinksCode: 'DISABLED_INSTITUTION',
};
const networkError = { code: 'network_error', message: 'm', recoverable: true };

const STATES: Record<string, FlinksConnectState> = {
  idle: initialState,
  loading: { ...initialState, status: 'loading' },
  ready: { ...initialState, status: 'ready', url: URL_1 },
  linking: { ...initialState, status: 'linking', url: URL_1, step: 'APP_MOUNTED' },
  linked: { ...initialState, status: 'linked', url: URL_1, loginId: 'l1', step: 'REDIRECT' },
  retrieving: {
    ...initialState,
    status: 'retrieving',
    url: URL_1,
    loginId: 'l1',
    connection: pending,
  },
  complete: {
    ...initialState,
    status: 'complete',
    url: URL_1,
    loginId: 'l1',
    connection: makeConnection({ status: 'ready', version: 3 }),
  },
  'error (iframe)': { ...initialState, status: 'error', url: URL_1, error: flinksError },
  'error (network, before link)': { ...initialState, status: 'error', error: networkError },
  'error (after link)': {
    ...initialState,
    status: 'error',
    url: URL_1,
    loginId: 'l1',
    error: networkError,
  },
  closed: { ...initialState, status: 'closed', url: URL_1 },
};

const event = (data: ConnectEvent): FlinksConnectAction => ({ type: 'event', event: data });
const mounted = event({ type: 'app-mounted', step: 'APP_MOUNTED' });
const redirect = event({
  type: 'redirect',
  step: 'REDIRECT',
  loginId: 'l2',
  institution: 'FlinksCapital',
  tag: 't',
  accountIds: [],
});
const closeSession = event({ type: 'close-session', step: 'COMPONENT_CLOSE_SESSION' });
const fatal = event({ type: 'error', step: 'ERROR', flinksCode: 'DISABLED_LOGIN' });
const retryable = event({ type: 'error', step: 'ERROR', flinksCode: 'INVALID_PASSWORD' });
const session: FlinksConnectAction = {
  type: 'session',
  url: 'https://toolbox-iframe.private.fin.ag/v2/?authorizeToken=t2',
};
const connected: FlinksConnectAction = {
  type: 'connected',
  connection: makeConnection({ version: 1 }),
};
const progress = (
  status: 'processing' | 'ready' | 'failed' | 'timed_out',
  version = 3,
): FlinksConnectAction => ({
  type: 'progress',
  connection: makeConnection({ status, version }),
});
const fail: FlinksConnectAction = { type: 'fail', error: networkError };

// [state, action, status afterwards, or null when the action is ignored (same object back)]
const TABLE: [string, string, FlinksConnectAction, FlinksConnectStatus | null][] = [
  ['idle', 'start', { type: 'start' }, 'loading'],
  ['ready', 'start', { type: 'start' }, 'loading'],
  ['complete', 'start', { type: 'start' }, 'loading'],
  ['error (network, before link)', 'start', { type: 'start' }, 'loading'],
  ['closed', 'start', { type: 'start' }, 'loading'],
  ['loading', 'start', { type: 'start' }, null],
  ['linked', 'start', { type: 'start' }, null],
  ['retrieving', 'start', { type: 'start' }, null],
  ['loading', 'session', session, 'ready'],
  ['ready', 'session (renewal)', session, 'ready'],
  ['linking', 'session (renewal)', session, 'ready'],
  ['error (iframe)', 'session (renewal)', session, 'ready'],
  ['idle', 'session', session, null],
  ['linked', 'session', session, null],
  ['closed', 'session', session, null],
  ['ready', 'first event', mounted, 'linking'],
  ['linking', 'event', mounted, 'linking'],
  ['linking', 'REDIRECT', redirect, 'linked'],
  ['ready', 'REDIRECT', redirect, 'linked'],
  ['linking', 'close', closeSession, 'closed'],
  ['linking', 'fatal flinksCode', fatal, 'error'],
  ['linking', 'retryable flinksCode', retryable, 'linking'],
  ['error (iframe)', 'event (the user carries on)', mounted, 'linking'],
  ['error (iframe)', 'REDIRECT', redirect, 'linked'],
  ['idle', 'event', mounted, null],
  ['loading', 'event', mounted, null],
  ['error (network, before link)', 'event', mounted, null],
  ['closed', 'event', mounted, null],
  ['linked', 'connected', connected, 'retrieving'],
  ['error (after link)', 'connected (retry)', connected, 'retrieving'],
  [
    'linked',
    'connected, already ready',
    { type: 'connected', connection: makeConnection({ status: 'ready' }) },
    'complete',
  ],
  ['idle', 'connected', connected, null],
  ['linking', 'connected', connected, null],
  ['error (network, before link)', 'connected', connected, null],
  ['retrieving', 'newer processing', progress('processing'), 'retrieving'],
  ['retrieving', 'ready', progress('ready'), 'complete'],
  ['retrieving', 'failed', progress('failed'), 'error'],
  ['retrieving', 'timed_out', progress('timed_out'), 'error'],
  ['retrieving', 'stale version', progress('ready', 2), null],
  [
    'retrieving',
    'another connection',
    { type: 'progress', connection: makeConnection({ id: 'x', version: 9 }) },
    null,
  ],
  ['linked', 'progress', progress('ready'), null],
  ['complete', 'progress', progress('ready', 9), null],
  ['loading', 'fail', fail, 'error'],
  ['ready', 'fail', fail, 'error'],
  ['linked', 'fail', fail, 'error'],
  ['retrieving', 'fail', fail, 'error'],
  ['error (after link)', 'fail (a failed retry)', fail, 'error'],
  ['idle', 'fail', fail, null],
  ['complete', 'fail', fail, null],
  ['closed', 'fail', fail, null],
  ['retrieving', 'reset', { type: 'reset' }, 'idle'],
  ['error (iframe)', 'reset', { type: 'reset' }, 'idle'],
  ['idle', 'reset', { type: 'reset' }, null],
];

describe('reduce', () => {
  it.each(TABLE)('%s + %s', (from, _, action, expected) => {
    const state = STATES[from]!;
    const next = reduce(state, action);
    if (expected === null) expect(next).toBe(state);
    else expect(next.status).toBe(expected);
  });

  it('covers every status in the table', () => {
    const covered = new Set(TABLE.map(([from]) => STATES[from]!.status));
    expect([...covered].sort()).toEqual(
      [
        'closed',
        'complete',
        'error',
        'idle',
        'linked',
        'linking',
        'loading',
        'ready',
        'retrieving',
      ].sort(),
    );
  });

  it('starts from a clean state', () => {
    expect(reduce(STATES.complete!, { type: 'start' })).toEqual({
      ...initialState,
      status: 'loading',
    });
  });

  it('records events (at most 50) and the last step, even after the link', () => {
    let state = STATES.ready!;
    for (let index = 0; index < 60; index++) state = reduce(state, mounted);
    expect(state.events).toHaveLength(50);
    state = reduce(state, redirect);
    expect(state.events).toHaveLength(50);
    expect(state.events.at(-1)).toMatchObject({ type: 'redirect' });
    const after = reduce(state, event({ type: 'app-resize', step: 'APP_RESIZE' }));
    expect(after).toMatchObject({ status: 'linked', step: 'APP_RESIZE' });
  });

  it('takes the link from REDIRECT', () => {
    expect(reduce(STATES.linking!, redirect)).toMatchObject({
      status: 'linked',
      loginId: 'l2',
      institution: 'FlinksCapital',
      tag: 't',
      requestId: null,
      error: null,
    });
  });

  it('ignores a second REDIRECT once linked', () => {
    const next = reduce(STATES.linked!, redirect);
    expect(next).toMatchObject({ status: 'linked', loginId: 'l1' });
  });

  it('turns fatal iframe codes into flinks_error with flinksCode', () => {
    expect(reduce(STATES.linking!, fatal).error).toEqual({
      code: 'flinks_error',
      message: expect.stringContaining('DISABLED_LOGIN'),
      recoverable: false,
      flinksCode: 'DISABLED_LOGIN',
    });
    const disabled = reduce(
      STATES.linking!,
      event({ type: 'disabled-institution', step: 'DISABLED_INSTITUTION' }),
    );
    expect(disabled.error).toMatchObject({
      code: 'flinks_error',
      flinksCode: 'DISABLED_INSTITUTION',
      recoverable: true,
    });
    for (const flinksCode of [
      'NEW_ACCOUNT',
      'UNAUTHORIZED',
      'AGGREGATION_ERROR',
      'DISABLED_INSTITUTION',
    ]) {
      const next = reduce(STATES.linking!, event({ type: 'error', step: 'ERROR', flinksCode }));
      expect(next.error?.flinksCode).toBe(flinksCode);
    }
  });

  it('takes the retrieval error from the connection, or says it timed out', () => {
    const failure = {
      code: 'flinks_error',
      message: 'Locked.',
      recoverable: false,
      flinksCode: 'DISABLED_LOGIN',
    };
    const failed = reduce(STATES.retrieving!, {
      type: 'progress',
      connection: makeConnection({ status: 'failed', version: 3, error: failure }),
    });
    expect(failed.error).toEqual(failure);
    expect(reduce(STATES.retrieving!, progress('timed_out')).error).toMatchObject({
      code: 'retrieval_timed_out',
      recoverable: true,
    });
  });

  it('keeps events and link on a session renewal', () => {
    const next = reduce(STATES.linking!, session);
    expect(next).toMatchObject({
      status: 'ready',
      url: (session as { url: string }).url,
      step: 'APP_MOUNTED',
    });
  });
});
