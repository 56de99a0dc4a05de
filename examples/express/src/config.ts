import type { FlinkitConfig } from '@flinkit/proxy';

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name}: missing. See examples/express/README.md.`);
  return value;
}

/**
 * The proxy's settings from the environment (`FLINKS_*`, `FLINKIT_*`), for {@link createApp}.
 * `FLINKIT_ENCRYPTION_KEYS` is `keyId:base64key[,…]` with 32-byte keys (`npx flinkit keygen`).
 */
export function flinkitConfigFromEnv(env: Env): Omit<FlinkitConfig, 'authenticate'> {
  const instance = env.FLINKS_INSTANCE;
  const flinks = {
    apiUrl: env.FLINKS_API_URL ?? `https://${required(env, 'FLINKS_INSTANCE')}-api.private.fin.ag`,
    customerId: required(env, 'FLINKS_CUSTOMER_ID'),
    secretKey: required(env, 'FLINKS_SECRET_KEY'),
    apiKey: required(env, 'FLINKS_API_KEY'),
  };
  const encryptionKeys = required(env, 'FLINKIT_ENCRYPTION_KEYS')
    .split(',')
    .map((item) => {
      const [id = '', key = ''] = item.trim().split(':');
      return { id, key: new Uint8Array(Buffer.from(key, 'base64')) };
    });
  return {
    flinks,
    engineOptions: {
      encryptionKeys,
      databaseUrl: env.FLINKIT_DATABASE_URL ?? 'sqlite:./.flinkit/express.db',
      pollIntervalMs: Number(env.FLINKIT_POLL_INTERVAL_MS ?? 10_000),
    },
    connect: {
      ...(instance ? { instance } : {}),
      ...(env.FLINKS_CONNECT_URL ? { url: env.FLINKS_CONNECT_URL } : {}),
      demo: env.FLINKS_DEMO === 'true',
    },
    ...(env.FLINKS_WEBHOOK_SECRET ? { webhookSecret: env.FLINKS_WEBHOOK_SECRET } : {}),
  };
}
