import { describe, expect, it } from 'vitest';
import { IFRAME_SANDBOX, isLinkable } from './iframe-policy';
import { initialState } from './reduce';
import { makeConnection } from './test-helpers';
import type { FlinksConnectState } from './types';

const url = 'https://toolbox-iframe.private.fin.ag/v2/?authorizeToken=t1';
const flinksError = { code: 'flinks_error', message: 'm', recoverable: true };
const state = (patch: Partial<FlinksConnectState>): FlinksConnectState => ({
  ...initialState,
  url,
  ...patch,
});

describe('IFRAME_SANDBOX', () => {
  it('lets Connect run and open the OAuth popup, and never navigate the host page', () => {
    const tokens = IFRAME_SANDBOX.split(' ');
    expect(tokens).toEqual(
      expect.arrayContaining(['allow-scripts', 'allow-same-origin', 'allow-forms', 'allow-popups']),
    );
    expect(tokens).toContain('allow-popups-to-escape-sandbox');
    expect(tokens.filter((token) => token.startsWith('allow-top-navigation'))).toEqual([]);
  });
});

describe('isLinkable', () => {
  it.each<[string, Partial<FlinksConnectState>, boolean]>([
    ['idle', { status: 'idle', url: null }, false],
    ['loading', { status: 'loading', url: null }, false],
    ['ready', { status: 'ready' }, true],
    ['linking', { status: 'linking' }, true],
    ['an error Connect reported before a link', { status: 'error', error: flinksError }, true],
    ['linked', { status: 'linked', loginId: 'l1' }, false],
    ['retrieving', { status: 'retrieving', loginId: 'l1', connection: makeConnection() }, false],
    ['complete', { status: 'complete', loginId: 'l1' }, false],
    // The retrieval's flinks_error (a FlinksCode from the proxy) is not the iframe's.
    [
      'a Flinks error of the retrieval',
      { status: 'error', loginId: 'l1', error: flinksError },
      false,
    ],
    [
      'a network error',
      { status: 'error', error: { code: 'network_error', message: 'm', recoverable: true } },
      false,
    ],
    ['closed after an iframe error', { status: 'closed', error: flinksError }, false],
  ])('shows the iframe when %s: %s', (_, patch, expected) => {
    expect(isLinkable(state(patch))).toBe(expected);
  });
});
