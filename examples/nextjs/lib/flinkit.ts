import { createFlinkitApp, type EncryptionKey, type FlinkitApp } from '@flinkit/proxy';
import { userFromRequest } from './session';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name}: missing. See examples/nextjs/README.md.`);
  return value;
}

/** `FLINKIT_ENCRYPTION_KEYS`: `keyId:base64key[,…]`, 32-byte keys (`npx flinkit keygen`). */
function encryptionKeys(): EncryptionKey[] {
  return required('FLINKIT_ENCRYPTION_KEYS')
    .split(',')
    .map((item) => {
      const [id = '', key = ''] = item.trim().split(':');
      return { id, key: new Uint8Array(Buffer.from(key, 'base64')) };
    });
}

/**
 * The proxy of this app, mounted at `/api/flinkit`. It reads the environment when the first
 * request arrives (see `toNextHandlers`), and identifies the caller by the app's own session
 * cookie: the browser never holds a flinkit token.
 */
export function createExampleFlinkit(): FlinkitApp {
  const instance = process.env.FLINKS_INSTANCE;
  const flinks = {
    apiUrl:
      process.env.FLINKS_API_URL ?? `https://${required('FLINKS_INSTANCE')}-api.private.fin.ag`,
    customerId: required('FLINKS_CUSTOMER_ID'),
    secretKey: required('FLINKS_SECRET_KEY'),
    apiKey: required('FLINKS_API_KEY'),
  };
  const pollIntervalMs = Number(process.env.FLINKIT_POLL_INTERVAL_MS ?? 10_000);
  return createFlinkitApp({
    basePath: '/api/flinkit',
    flinks,
    engineOptions: {
      encryptionKeys: encryptionKeys(),
      databaseUrl: process.env.FLINKIT_DATABASE_URL ?? 'sqlite:./.flinkit/nextjs.db',
      pollIntervalMs,
    },
    connect: {
      ...(instance ? { instance } : {}),
      ...(process.env.FLINKS_CONNECT_URL ? { url: process.env.FLINKS_CONNECT_URL } : {}),
      demo: process.env.FLINKS_DEMO === 'true',
    },
    ...(process.env.FLINKS_WEBHOOK_SECRET
      ? { webhookSecret: process.env.FLINKS_WEBHOOK_SECRET }
      : {}),
    authenticate: (request) => {
      const userId = userFromRequest(request);
      return userId ? { userId } : null;
    },
  });
}
