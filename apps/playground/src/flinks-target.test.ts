import { describe, expect, it } from 'vitest';
import { readFlinksTarget, TOOLBOX_CONNECT_URL } from './flinks-target';

describe('readFlinksTarget', () => {
  it('uses the simulator when FLINKS_API_URL is not set', () => {
    expect(readFlinksTarget({ FLINKS_SECRET_KEY: 'x' })).toEqual({ kind: 'simulator' });
    expect(readFlinksTarget({ FLINKS_API_URL: '' })).toEqual({ kind: 'simulator' });
  });

  it('passes every FLINKS_* variable to the proxy, defaulting to the Toolbox iframe in demo mode', () => {
    const target = readFlinksTarget({
      FLINKS_API_URL: 'https://toolbox-api.private.fin.ag',
      FLINKS_CUSTOMER_ID: 'customer',
      FLINKS_SECRET_KEY: 'secret',
      FLINKS_API_KEY: 'api-key',
      FLINKIT_DATABASE_URL: 'sqlite:/elsewhere.db',
      PATH: '/usr/bin',
    });
    expect(target).toEqual({
      kind: 'remote',
      connectOrigin: 'https://toolbox-iframe.private.fin.ag',
      env: {
        FLINKS_API_URL: 'https://toolbox-api.private.fin.ag',
        FLINKS_CONNECT_URL: TOOLBOX_CONNECT_URL,
        FLINKS_CUSTOMER_ID: 'customer',
        FLINKS_SECRET_KEY: 'secret',
        FLINKS_API_KEY: 'api-key',
        FLINKS_DEMO: 'true',
      },
    });
  });

  it('keeps an explicit FLINKS_CONNECT_URL and FLINKS_DEMO', () => {
    const target = readFlinksTarget({
      FLINKS_API_URL: 'https://acme-api.private.fin.ag',
      FLINKS_CONNECT_URL: 'https://acme-iframe.private.fin.ag/v2/',
      FLINKS_DEMO: 'false',
    });
    expect(target).toMatchObject({
      connectOrigin: 'https://acme-iframe.private.fin.ag',
      env: { FLINKS_DEMO: 'false', FLINKS_CONNECT_URL: 'https://acme-iframe.private.fin.ag/v2/' },
    });
  });

  it('rejects a URL that is not absolute with invalid_config', () => {
    expect(() => readFlinksTarget({ FLINKS_API_URL: 'toolbox-api' })).toThrow(
      expect.objectContaining({ code: 'invalid_config' }),
    );
  });
});
