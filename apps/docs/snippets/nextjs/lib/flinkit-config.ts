import type { EncryptionKey, FlinkitConfig, LoggerOptions } from '@flinkit/proxy';

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set (see the environment table of the proxy).`);
  return value;
}

/** `keyId:base64key[,…]`, as `flinkit keygen` prints it; the first key encrypts. */
function encryptionKeys(value: string): EncryptionKey[] {
  return value.split(',').map((item) => {
    const [id = '', key = ''] = item.trim().split(':');
    return { id, key: new Uint8Array(Buffer.from(key, 'base64')) };
  });
}

/**
 * The embedded proxy's settings, from the variables `flinkit serve` reads. Identity
 * (`authenticate`) and delivery (`onAccountsDetail`) are added by the host app.
 */
export function flinkitConfig(env: Env = process.env): FlinkitConfig {
  const instance = env.FLINKS_INSTANCE;
  return {
    flinks: {
      apiUrl: env.FLINKS_API_URL ?? `https://${instance}-api.private.fin.ag`,
      customerId: required(env, 'FLINKS_CUSTOMER_ID'),
      secretKey: required(env, 'FLINKS_SECRET_KEY'),
      apiKey: required(env, 'FLINKS_API_KEY'),
    },
    connect: {
      ...(instance ? { instance } : {}),
      ...(env.FLINKS_CONNECT_URL ? { url: env.FLINKS_CONNECT_URL } : {}),
      demo: env.FLINKS_DEMO === 'true',
    },
    engineOptions: {
      databaseUrl: env.FLINKIT_DATABASE_URL ?? 'sqlite:./.flinkit/flinkit.db',
      encryptionKeys: encryptionKeys(required(env, 'FLINKIT_ENCRYPTION_KEYS')),
    },
    ...(env.FLINKS_WEBHOOK_SECRET ? { webhookSecret: env.FLINKS_WEBHOOK_SECRET } : {}),
    logger: { level: (env.FLINKIT_LOG_LEVEL ?? 'info') as NonNullable<LoggerOptions['level']> },
  };
}
