import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConnectMessage } from './connect-message';

const STEP_TYPES: [string, string][] = [
  ['APP_MOUNTED', 'app-mounted'],
  ['APP_ONLINE', 'app-online'],
  ['APP_OFFLINE', 'app-offline'],
  ['APP_RESIZE', 'app-resized'],
  ['COMPONENT_LOAD_CONSENT', 'consent-loaded'],
  ['COMPONENT_ACCEPT_CONSENT', 'consent-accepted'],
  ['COMPONENT_DENY_CONSENT', 'consent-denied'],
  ['COMPONENT_ACCEPT_PROVIDER_CONSENT', 'provider-consent-accepted'],
  ['COMPONENT_ACCEPT_TERMS', 'terms-accepted'],
  ['COMPONENT_DENY_TERMS', 'terms-denied'],
  ['COMPONENT_CLICK_TERMS_URL', 'terms-url-clicked'],
  ['COMPONENT_LOAD_INSTITUTION_SELECTOR', 'institution-selector-loaded'],
  ['INSTITUTION_SELECTED', 'institution-selected'],
  ['COMPONENT_LOAD_CREDENTIAL', 'credentials-loaded'],
  ['COMPONENT_LOAD_CREDENTIAL_RETRY', 'credentials-retry-loaded'],
  ['SUBMIT_CREDENTIAL', 'credentials-submitted'],
  ['COMPONENT_CLICK_RESET_PASSWORD', 'reset-password-clicked'],
  ['COMPONENT_LOAD_MFA', 'mfa-loaded'],
  ['COMPONENT_LOAD_MFA_RETRY', 'mfa-retry-loaded'],
  ['SUBMIT_MFA', 'mfa-submitted'],
  ['COMPONENT_HELP2FA_INFO', 'mfa-help-opened'],
  ['COMPONENT_HELP2FA_TROUBLESHOOTING', 'mfa-troubleshooting-opened'],
  ['ENHANCED_MFA_HAS_QUESTIONS', 'enhanced-mfa-has-questions'],
  ['ENHANCED_MFA_NO_QUESTIONS', 'enhanced-mfa-no-questions'],
  ['COMPONENT_LOAD_ACCOUNT_SELECTION', 'accounts-loaded'],
  ['ACCOUNT_SELECTED', 'account-selected'],
  ['COMPONENT_CLOSE_SESSION', 'session-closed'],
  ['DISABLED_INSTITUTION', 'institution-disabled'],
  ['POPUP_OPENED', 'popup-opened'],
  ['POPUP_BLOCKED', 'popup-blocked'],
  ['TOKEN_INVALID', 'token-invalid'],
];

describe('parseConnectMessage', () => {
  it.each(STEP_TYPES)('names %s as %s and keeps the raw step', (step, type) => {
    expect(parseConnectMessage({ step })).toEqual({ type, step });
  });

  it('keeps the metadata of a step', () => {
    expect(
      parseConnectMessage({ step: 'COMPONENT_LOAD_MFA', mfaTypes: ['QuestionAndAnswer'] }),
    ).toEqual({
      type: 'mfa-loaded',
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
      type: 'accounts-loaded',
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
