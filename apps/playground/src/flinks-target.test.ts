import { describe, expect, it } from 'vitest';
import { describeFlinksTarget, readFlinksTarget, TOOLBOX_CONNECT_URL } from './flinks-target';

const TOOLBOX_CREDENTIALS = {
  FLINKS_CUSTOMER_ID: '43387ca6-0391-4c82-857d-70d95f087ecb',
  FLINKS_SECRET_KEY: 'c4569c54-e167-4d34-8de6-f4113bc82414',
  FLINKS_API_KEY: '3d5266a8-b697-48d4-8de6-52e2e2662acc',
};

describe('readFlinksTarget', () => {
  it('uses the simulator when no FLINKS_* variable is set', () => {
    expect(readFlinksTarget({ PATH: '/usr/bin' })).toEqual({ kind: 'simulator' });
    expect(readFlinksTarget({ FLINKS_INSTANCE: '', FLINKS_API_URL: '' })).toEqual({
      kind: 'simulator',
    });
  });

  it('talks to the real Toolbox with FLINKS_INSTANCE=toolbox alone, with its published credentials', () => {
    expect(readFlinksTarget({ FLINKS_INSTANCE: 'toolbox' })).toEqual({
      kind: 'remote',
      instance: 'toolbox',
      apiUrl: 'https://toolbox-api.private.fin.ag',
      connectUrl: TOOLBOX_CONNECT_URL,
      connectOrigin: 'https://toolbox-iframe.private.fin.ag',
      env: {
        FLINKS_INSTANCE: 'toolbox',
        FLINKS_API_URL: 'https://toolbox-api.private.fin.ag',
        FLINKS_CONNECT_URL: TOOLBOX_CONNECT_URL,
        FLINKS_DEMO: 'true',
        ...TOOLBOX_CREDENTIALS,
      },
    });
  });

  it('builds the URLs of another instance and takes its credentials from the environment', () => {
    const target = readFlinksTarget({
      FLINKS_INSTANCE: 'acme',
      FLINKS_CUSTOMER_ID: 'customer',
      FLINKS_SECRET_KEY: 'secret',
      FLINKS_API_KEY: 'api-key',
      FLINKS_DEMO: 'false',
    });
    expect(target).toMatchObject({
      kind: 'remote',
      connectOrigin: 'https://acme-iframe.private.fin.ag',
      env: {
        FLINKS_API_URL: 'https://acme-api.private.fin.ag',
        FLINKS_CONNECT_URL: 'https://acme-iframe.private.fin.ag/v2/',
        FLINKS_SECRET_KEY: 'secret',
        FLINKS_DEMO: 'false',
      },
    });
  });

  it('refuses another instance without credentials, naming what is missing', () => {
    expect(() => readFlinksTarget({ FLINKS_INSTANCE: 'acme', FLINKS_SECRET_KEY: 'sk' })).toThrow(
      expect.objectContaining({
        code: 'invalid_config',
        message: expect.stringMatching(/^FLINKS_CUSTOMER_ID, FLINKS_API_KEY missing: the acme/),
      }),
    );
  });

  it('refuses FLINKS_* variables that would be ignored, instead of silently keeping the simulator', () => {
    let error: unknown;
    try {
      readFlinksTarget({ FLINKS_SECRET_KEY: 'sk-value', FLINKS_CUSTOMER_ID: 'customer-value' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'invalid_config', recoverable: false });
    const { message } = error as Error;
    expect(message).toContain('FLINKS_CUSTOMER_ID, FLINKS_SECRET_KEY are set');
    expect(message).toContain('FLINKS_INSTANCE=toolbox');
    expect(message).not.toMatch(/sk-value|customer-value/);
  });

  it('passes every FLINKS_* variable when FLINKS_API_URL names the Flinks, with the Toolbox iframe by default', () => {
    const target = readFlinksTarget({
      FLINKS_API_URL: 'https://toolbox-api.private.fin.ag',
      ...TOOLBOX_CREDENTIALS,
      FLINKIT_DATABASE_URL: 'sqlite:/elsewhere.db',
      PATH: '/usr/bin',
    });
    expect(target).toMatchObject({
      kind: 'remote',
      instance: null,
      connectOrigin: 'https://toolbox-iframe.private.fin.ag',
      env: {
        FLINKS_API_URL: 'https://toolbox-api.private.fin.ag',
        FLINKS_CONNECT_URL: TOOLBOX_CONNECT_URL,
        FLINKS_DEMO: 'true',
        ...TOOLBOX_CREDENTIALS,
      },
    });
    expect(Object.keys(target.kind === 'remote' ? target.env : {})).not.toContain('PATH');
  });

  it('rejects a malformed instance or URL with invalid_config', () => {
    for (const env of [
      { FLINKS_INSTANCE: 'toolbox.evil/x' },
      { FLINKS_API_URL: 'toolbox-api', ...TOOLBOX_CREDENTIALS },
    ]) {
      expect(() => readFlinksTarget(env)).toThrow(
        expect.objectContaining({ code: 'invalid_config' }),
      );
    }
  });
});

describe('describeFlinksTarget', () => {
  it('says whether the playground talks to the simulator or to which real Flinks, without a URL', () => {
    const simulator = describeFlinksTarget({ kind: 'simulator' });
    expect(simulator).toMatch(/^the Flinks simulator, offline/);
    const toolbox = describeFlinksTarget(readFlinksTarget({ FLINKS_INSTANCE: 'toolbox' }));
    expect(toolbox).toBe(
      'the real Flinks "toolbox" instance: API toolbox-api.private.fin.ag, Connect toolbox-iframe.private.fin.ag',
    );
    expect(`${simulator} ${toolbox}`).not.toMatch(/https?:\/\//);
  });
});
