import { describe, expect, it } from 'vitest';
import { buildConnectUrl, readRedirectResult } from './connect-url';

describe('buildConnectUrl', () => {
  it('puts every set parameter in the query and leaves out the unset ones', () => {
    const url = new URL(
      buildConnectUrl({
        baseUrl: 'https://toolbox-iframe.private.fin.ag/v2/',
        authorizeToken: 'tok-1',
        demo: true,
        language: 'fr',
        redirectUrl: 'https://shop.example/done?state=1',
        consentEnable: false,
        accountSelectorEnable: true,
        accountSelectorMultiple: true,
        tag: '#order-9',
        stringify: true,
        customerName: undefined,
      }),
    );
    expect(url.origin + url.pathname).toBe('https://toolbox-iframe.private.fin.ag/v2/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      authorizeToken: 'tok-1',
      demo: 'true',
      language: 'fr',
      redirectUrl: 'https://shop.example/done?state=1',
      consentEnable: 'false',
      accountSelectorEnable: 'true',
      accountSelectorMultiple: 'true',
      tag: '#order-9',
      stringify: 'true',
    });
  });

  it('writes colors without #', () => {
    const url = new URL(
      buildConnectUrl({
        baseUrl: 'https://x-iframe.private.fin.ag/v2/',
        authorizeToken: 't',
        backgroundColor: '#f7f7f7',
        foregroundColor1: '112233',
      }),
    );
    expect(url.searchParams.get('backgroundColor')).toBe('f7f7f7');
    expect(url.searchParams.get('foregroundColor1')).toBe('112233');
  });

  it('keeps the query the base URL already has', () => {
    const url = new URL(
      buildConnectUrl({ baseUrl: 'https://x.example/v2/?theme=light', authorizeToken: 't' }),
    );
    expect(url.searchParams.get('theme')).toBe('light');
    expect(url.searchParams.get('authorizeToken')).toBe('t');
  });
});

describe('readRedirectResult', () => {
  it('reads loginId, institution and tag and ignores the other parameters', () => {
    expect(
      readRedirectResult(
        'https://shop.example/done?state=abc&loginId=login-1&institution=FlinksCapital&tag=order-9',
      ),
    ).toEqual({
      loginId: 'login-1',
      institution: 'FlinksCapital',
      tag: 'order-9',
      requestId: null,
      accountIds: [],
    });
  });

  it('reads requestId and accountId lists', () => {
    expect(readRedirectResult('?loginId=l&requestId=r&accountId=a1,a2&accountId=a3')).toEqual({
      loginId: 'l',
      institution: null,
      tag: null,
      requestId: 'r',
      accountIds: ['a1', 'a2', 'a3'],
    });
    expect(
      readRedirectResult('myapp://callback?loginId=l&institution=FlinksCapital'),
    ).toMatchObject({ loginId: 'l' });
  });

  it('is null without a loginId', () => {
    expect(readRedirectResult('https://shop.example/done?state=abc')).toBeNull();
    expect(readRedirectResult('https://shop.example/done?loginId=')).toBeNull();
  });
});
