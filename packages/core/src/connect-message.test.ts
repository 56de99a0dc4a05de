import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ConnectEventTypeOf, parseConnectMessage } from './connect-message';

// Written out, not computed: the names are public API.
const STEP_TYPES: [string, string][] = [
  ['APP_MOUNTED', 'app-mounted'],
  ['APP_ONLINE', 'app-online'],
  ['APP_OFFLINE', 'app-offline'],
  ['APP_RESIZE', 'app-resize'],
  ['COMPONENT_LOAD_CONSENT', 'load-consent'],
  ['COMPONENT_ACCEPT_CONSENT', 'accept-consent'],
  ['COMPONENT_DENY_CONSENT', 'deny-consent'],
  ['COMPONENT_ACCEPT_PROVIDER_CONSENT', 'accept-provider-consent'],
  ['COMPONENT_ACCEPT_TERMS', 'accept-terms'],
  ['COMPONENT_DENY_TERMS', 'deny-terms'],
  ['COMPONENT_CLICK_TERMS_URL', 'click-terms-url'],
  ['COMPONENT_LOAD_INSTITUTION_SELECTOR', 'load-institution-selector'],
  ['INSTITUTION_SELECTED', 'institution-selected'],
  ['COMPONENT_LOAD_CREDENTIAL', 'load-credential'],
  ['COMPONENT_LOAD_CREDENTIAL_RETRY', 'load-credential-retry'],
  ['SUBMIT_CREDENTIAL', 'submit-credential'],
  ['COMPONENT_CLICK_RESET_PASSWORD', 'click-reset-password'],
  ['COMPONENT_LOAD_MFA', 'load-mfa'],
  ['COMPONENT_LOAD_MFA_RETRY', 'load-mfa-retry'],
  ['SUBMIT_MFA', 'submit-mfa'],
  ['COMPONENT_HELP2FA_INFO', 'help2fa-info'],
  ['COMPONENT_HELP2FA_TROUBLESHOOTING', 'help2fa-troubleshooting'],
  ['ENHANCED_MFA_HAS_QUESTIONS', 'enhanced-mfa-has-questions'],
  ['ENHANCED_MFA_NO_QUESTIONS', 'enhanced-mfa-no-questions'],
  ['COMPONENT_LOAD_ACCOUNT_SELECTION', 'load-account-selection'],
  ['ACCOUNT_SELECTED', 'account-selected'],
  ['COMPONENT_CLOSE_SESSION', 'close-session'],
  ['DISABLED_INSTITUTION', 'disabled-institution'],
  ['POPUP_OPENED', 'popup-opened'],
  ['POPUP_BLOCKED', 'popup-blocked'],
  ['TOKEN_INVALID', 'token-invalid'],
];

describe('parseConnectMessage', () => {
  it('types each step by the same rule as at run time', () => {
    expectTypeOf<ConnectEventTypeOf<'COMPONENT_LOAD_MFA'>>().toEqualTypeOf<'load-mfa'>();
    expectTypeOf<
      ConnectEventTypeOf<'INSTITUTION_SELECTED'>
    >().toEqualTypeOf<'institution-selected'>();
    const event = parseConnectMessage({ step: 'COMPONENT_CLOSE_SESSION' });
    if (event?.type === 'close-session')
      expectTypeOf(event.step).toEqualTypeOf<'COMPONENT_CLOSE_SESSION'>();
    expect(event?.type).toBe('close-session');
  });

  it.each(STEP_TYPES)('names %s as %s and keeps the raw step', (step, type) => {
    expect(parseConnectMessage({ step })).toEqual({ type, step });
  });

  it('keeps the metadata of a step', () => {
    expect(
      parseConnectMessage({ step: 'COMPONENT_LOAD_MFA', mfaTypes: ['QuestionAndAnswer'] }),
    ).toEqual({
      type: 'load-mfa',
      step: 'COMPONENT_LOAD_MFA',
      mfaTypes: ['QuestionAndAnswer'],
    });
    expect(
      parseConnectMessage({
        step: 'COMPONENT_LOAD_ACCOUNT_SELECTION',
        totalAccounts: 3,
        displayedAccounts: 2,
        somethingNew: 'kept',
      }),
    ).toEqual({
      type: 'load-account-selection',
      step: 'COMPONENT_LOAD_ACCOUNT_SELECTION',
      totalAccounts: 3,
      displayedAccounts: 2,
      somethingNew: 'kept',
    });
    expect(
      parseConnectMessage({
        step: 'INSTITUTION_SELECTED',
        institution: 'FlinksCapital',
        tag: null,
      }),
    ).toEqual({
      type: 'institution-selected',
      step: 'INSTITUTION_SELECTED',
      institution: 'FlinksCapital',
    });
  });

  it('reads a REDIRECT with the loginId at the top level', () => {
    expect(
      parseConnectMessage({
        step: 'REDIRECT',
        loginId: 'login-1',
        requestId: 'req-1',
        institution: 'FlinksCapital',
        accountId: ['a1', 'a2'],
      }),
    ).toMatchObject({
      type: 'redirect',
      step: 'REDIRECT',
      loginId: 'login-1',
      requestId: 'req-1',
      institution: 'FlinksCapital',
      accountIds: ['a1', 'a2'],
    });
  });

  it('reads a REDIRECT with the loginId inside its url', () => {
    const event = parseConnectMessage({
      step: 'REDIRECT',
      institution: 'FlinksCapital',
      url: 'https://shop.example/done?state=s1&loginId=login-2&tag=order-9&institution=Other&accountId=a1,a2',
    });
    expect(event).toMatchObject({
      type: 'redirect',
      loginId: 'login-2',
      tag: 'order-9',
      institution: 'FlinksCapital',
      accountIds: ['a1', 'a2'],
    });
    expect(event).not.toHaveProperty('requestId');
  });

  it('keeps a top-level loginId but drops a url that is not http(s)', () => {
    const event = parseConnectMessage({
      step: 'REDIRECT',
      loginId: 'login-3',
      url: 'javascript:alert(1)//?loginId=evil&tag=t',
    });
    expect(event).toMatchObject({ type: 'redirect', loginId: 'login-3' });
    expect(event).not.toHaveProperty('url');
    expect(event).not.toHaveProperty('tag');
  });

  it('accepts accountId as one string or a comma-separated list', () => {
    const one = parseConnectMessage({ step: 'REDIRECT', loginId: 'l', accountId: 'a1' });
    const list = parseConnectMessage({ step: 'REDIRECT', loginId: 'l', accountId: 'a1,a2' });
    const none = parseConnectMessage({ step: 'REDIRECT', loginId: 'l' });
    expect(one).toMatchObject({ accountIds: ['a1'] });
    expect(list).toMatchObject({ accountIds: ['a1', 'a2'] });
    expect(none).toMatchObject({ accountIds: [] });
  });

  it('types { flinksCode } events as errors', () => {
    expect(
      parseConnectMessage({
        flinksCode: 'INVALID_PASSWORD',
        requestId: 'r',
        institution: 'FlinksCapital',
      }),
    ).toEqual({
      type: 'error',
      step: 'ERROR',
      flinksCode: 'INVALID_PASSWORD',
      requestId: 'r',
      institution: 'FlinksCapital',
    });
    expect(
      parseConnectMessage({ step: 'SUBMIT_CREDENTIAL', flinksCode: 'DISABLED_LOGIN' }),
    ).toEqual({
      type: 'error',
      step: 'SUBMIT_CREDENTIAL',
      flinksCode: 'DISABLED_LOGIN',
    });
  });

  it('reads JSON-string payloads (stringify=true)', () => {
    expect(parseConnectMessage(JSON.stringify({ step: 'APP_MOUNTED' }))).toEqual({
      type: 'app-mounted',
      step: 'APP_MOUNTED',
    });
    expect(parseConnectMessage('{"step":"REDIRECT","loginId":"l"}')).toMatchObject({
      type: 'redirect',
      loginId: 'l',
    });
  });

  it('gives unknown steps the type unknown', () => {
    expect(parseConnectMessage({ step: 'COMPONENT_SOMETHING_NEW', x: 1 })).toEqual({
      type: 'unknown',
      step: 'COMPONENT_SOMETHING_NEW',
      x: 1,
    });
    expect(parseConnectMessage({ step: 'toString' })).toEqual({
      type: 'unknown',
      step: 'toString',
    });
    // Only Flinks' spelling of a step is known, not our type name or another case of it.
    for (const step of ['app-mounted', 'App_Mounted', 'LOAD_MFA', '~LOAD_MFA', 'COMPONENT_']) {
      expect(parseConnectMessage({ step })).toEqual({ type: 'unknown', step });
    }
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an array', [{ step: 'APP_MOUNTED' }]],
    ['text that is not JSON', 'APP_MOUNTED'],
    ['a JSON string of a string', '"APP_MOUNTED"'],
    ['an object without step or flinksCode', { institution: 'FlinksCapital' }],
    ['an empty step', { step: '' }],
    ['a step that is not a string', { step: 7 }],
    ['a REDIRECT without loginId', { step: 'REDIRECT', institution: 'FlinksCapital' }],
    [
      'a REDIRECT whose url has no loginId',
      { step: 'REDIRECT', url: 'https://shop.example/done?tag=t' },
    ],
    ['a REDIRECT whose url is not a URL', { step: 'REDIRECT', url: 'http://[' }],
    [
      'a REDIRECT whose only loginId is in a javascript: url',
      { step: 'REDIRECT', url: 'javascript:alert(1)//?loginId=evil' },
    ],
    [
      'a REDIRECT whose only loginId is in a data: url',
      { step: 'REDIRECT', url: 'data:text/html,x?loginId=evil' },
    ],
    [
      'a REDIRECT whose only loginId is in a relative url',
      { step: 'REDIRECT', url: '/done?loginId=evil' },
    ],
    ['a loginId that is not a string', { step: 'REDIRECT', loginId: 5 }],
    ['an accountId list with a number', { step: 'REDIRECT', loginId: 'l', accountId: ['a', 1] }],
    ['an institution that is not a string', { step: 'INSTITUTION_SELECTED', institution: {} }],
    ['totalAccounts as text', { step: 'COMPONENT_LOAD_ACCOUNT_SELECTION', totalAccounts: '3' }],
    ['mfaTypes that is not a list', { step: 'COMPONENT_LOAD_MFA', mfaTypes: 'QuestionAndAnswer' }],
    ['a flinksCode that is not a string', { flinksCode: 401 }],
  ])('refuses %s', (_, data) => {
    expect(parseConnectMessage(data)).toBeNull();
  });

  it('never throws and returns null or a typed event, on any input', () => {
    const step = fc.oneof(
      fc.constantFrom(
        ...STEP_TYPES.map(([known]) => known),
        'REDIRECT',
        '__proto__',
        'constructor',
      ),
      fc.string(),
    );
    const arbitrary = fc.oneof(
      fc.anything(),
      fc.json(),
      fc.string(),
      fc.dictionary(fc.string(), fc.anything()).map((data) => ({ ...data, step: undefined })),
      fc.record({ step, loginId: fc.anything(), url: fc.oneof(fc.webUrl(), fc.string()) }),
      fc.record({ step, flinksCode: fc.anything(), rest: fc.anything() }),
      fc
        .record({ step })
        .chain((base) =>
          fc.dictionary(fc.string(), fc.anything()).map((more) => ({ ...more, ...base })),
        ),
    );
    fc.assert(
      fc.property(arbitrary, (data) => {
        const event = parseConnectMessage(data);
        if (event === null) return true;
        return (
          typeof event.type === 'string' && typeof event.step === 'string' && event.step !== ''
        );
      }),
      { numRuns: 500 },
    );
    // 500 generated inputs take a few seconds on a loaded 2-core CI machine.
  }, 30_000);

  it('keeps the prototype of its results plain, whatever the keys of the input', () => {
    const event = parseConnectMessage(
      JSON.parse('{"step":"APP_MOUNTED","__proto__":{"polluted":true}}'),
    );
    expect(event).not.toBeNull();
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
