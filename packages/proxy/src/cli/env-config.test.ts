import { describe, expect, it } from 'vitest';
import { ConfigError } from '../base/errors';
import { REQUIRED_VARIABLES, validEnv } from '../test/env';
import { loadEnvConfig } from './env-config';

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadEnvConfig(env);
  } catch (error) {
    if (ConfigError.isInstance(error)) return error as ConfigError;
    throw error;
  }
  throw new Error('config accepted');
}

describe('loadEnvConfig', () => {
  it('builds the server config with the documented defaults', () => {
    const config = loadEnvConfig(validEnv());
    expect(config.flinks).toMatchObject({
      apiUrl: 'https://toolbox-api.private.fin.ag',
      customerId: '43387ca6-0391-4c82-857d-70d95f087ecb',
    });
    expect(config.connect).toEqual({ instance: 'toolbox' });
    expect(config.engineOptions?.encryptionKeys[0]?.key).toHaveLength(32);
    expect(config.engineOptions?.pollIntervalMs).toBeUndefined();
    expect(config).toMatchObject({ port: 8787, host: '127.0.0.1' });
    expect(config.accountsView).toBeUndefined();
  });

  it('reads every optional variable', () => {
    const config = loadEnvConfig(
      validEnv({
        FLINKS_API_URL: 'http://127.0.0.1:4010',
        FLINKS_CONNECT_URL: 'http://127.0.0.1:4010/v2/',
        FLINKIT_DATABASE_URL: 'sqlite:/tmp/x.db',
        FLINKIT_ALLOWED_ORIGINS: 'https://a.example.com, http://localhost:5173',
        FLINKS_WEBHOOK_SECRET: 'hook',
        FLINKIT_FORWARD_URL: 'https://host.example.com/hooks',
        FLINKIT_FORWARD_SECRET: `whsec_${Buffer.alloc(24, 1).toString('base64')}`,
        FLINKIT_POLL_INTERVAL_MS: '50',
        FLINKIT_POLL_TIMEOUT_MS: '60000',
        FLINKS_DETAIL_TIMEOUT_MS: '300000',
        FLINKIT_ACCOUNTS_VIEW: 'full',
        FLINKS_DEMO: 'true',
        FLINKIT_DELETE_UPSTREAM: 'true',
        FLINKIT_ACCEPT_UNSIGNED_WEBHOOKS: 'false',
        FLINKIT_CONNECT_ALLOWED_PARAMS: 'theme, backgroundColor',
        FLINKIT_CONNECT_PARAMS: 'consentEnable=true&customerName=Acme',
        FLINKIT_CONNECT_REDIRECT_URL: 'https://app.example.com/flinks/done',
        PORT: '0',
        HOST: '0.0.0.0',
      }),
    );
    expect(config).toMatchObject({
      flinks: { apiUrl: 'http://127.0.0.1:4010', detailTimeoutMs: 300_000 },
      engineOptions: { databaseUrl: 'sqlite:/tmp/x.db', pollIntervalMs: 50, pollTimeoutMs: 60000 },
      connect: {
        url: 'http://127.0.0.1:4010/v2/',
        demo: true,
        allowedParams: ['theme', 'backgroundColor'],
        fixedParams: { consentEnable: 'true', customerName: 'Acme' },
        redirectUrl: 'https://app.example.com/flinks/done',
      },
      allowedOrigins: ['https://a.example.com', 'http://localhost:5173'],
      webhookSecret: 'hook',
      forward: { url: 'https://host.example.com/hooks' },
      accountsView: 'full',
      deleteUpstream: true,
      acceptUnsignedWebhooks: false,
      port: 0,
      host: '0.0.0.0',
    });
  });

  it('names each missing required variable', () => {
    for (const name of REQUIRED_VARIABLES) {
      const error = errorOf(validEnv({ [name]: undefined }));
      expect(error.setting).toBe(name);
      expect(error.message).toMatch(new RegExp(`^${name}: missing; expected .+\\.$`));
    }
  });

  it('does not need FLINKS_INSTANCE when both URLs are overridden', () => {
    const config = loadEnvConfig(
      validEnv({
        FLINKS_INSTANCE: undefined,
        FLINKS_API_URL: 'http://127.0.0.1:1',
        FLINKS_CONNECT_URL: 'http://127.0.0.1:1/v2/',
      }),
    );
    expect(config.connect).toEqual({ url: 'http://127.0.0.1:1/v2/' });
  });

  it('names a malformed variable without echoing its value', () => {
    const cases: Record<string, string> = {
      FLINKIT_ENCRYPTION_KEYS: 'k1:c2hvcnQtc2VjcmV0LWtleQ==',
      FLINKIT_USER_TOKEN_SECRET: 'too-short-secret',
      FLINKIT_ALLOWED_ORIGINS: 'https://a.example.com/path',
      FLINKIT_POLL_INTERVAL_MS: 'ten',
      FLINKIT_ACCOUNTS_VIEW: 'everything',
      FLINKS_API_URL: 'ftp://flinks',
      PORT: '70000',
      FLINKIT_FORWARD_SECRET: 'whsec_short',
    };
    for (const [name, value] of Object.entries(cases)) {
      const error = errorOf(
        validEnv({
          [name]: value,
          ...(name === 'FLINKIT_FORWARD_SECRET'
            ? { FLINKIT_FORWARD_URL: 'https://x.example.com' }
            : {}),
        }),
      );
      expect(error.setting).toBe(name);
      expect(error.message).toContain('malformed');
      expect(error.message).not.toContain(value);
      expect(error.message).not.toContain('\n');
    }
  });

  it('needs the forward URL and secret together', () => {
    expect(errorOf(validEnv({ FLINKIT_FORWARD_URL: 'https://x.example.com' })).setting).toBe(
      'FLINKIT_FORWARD_SECRET',
    );
    expect(
      errorOf(validEnv({ FLINKIT_FORWARD_SECRET: `whsec_${Buffer.alloc(24).toString('base64')}` }))
        .setting,
    ).toBe('FLINKIT_FORWARD_URL');
  });
});
