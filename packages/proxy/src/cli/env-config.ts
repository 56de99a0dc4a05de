import * as z from 'zod';
import type { EncryptionKey } from '../base/crypto';
import { ConfigError } from '../base/errors';
import type { ServerConfig } from '../http/server';

type Env = Record<string, string | undefined>;

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));
const httpUrl = z.url({ protocol: /^https?$/ });
const origins = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().refine((item) => URL.canParse(item) && new URL(item).origin === item)));
const keys = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^[\w-]{1,32}:[A-Za-z0-9+/=_-]+$/)
          .transform((item): EncryptionKey => {
            const [id = '', key = ''] = item.split(':');
            return { id, key: new Uint8Array(Buffer.from(key, 'base64')) };
          })
          .refine((item) => item.key.length === 32),
      )
      .min(1),
  );

/** Reads one variable with `schema`; absent → `fallback` or, when required, a ConfigError. */
function read<Out>(
  env: Env,
  name: string,
  schema: z.ZodType<Out>,
  expected: string,
  options: { required?: boolean } = {},
): Out | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') {
    if (options.required) throw new ConfigError(name, `${name}: missing; expected ${expected}.`);
    return undefined;
  }
  const parsed = schema.safeParse(raw.trim());
  // Only the expectation is printed, never the value: it may be a secret.
  if (!parsed.success) throw new ConfigError(name, `${name}: malformed; expected ${expected}.`);
  return parsed.data;
}

const secret = z.string().min(1);

/** Where and how to reach Flinks, from `FLINKS_*` (also what `flinkit doctor` checks). */
export interface FlinksEnv {
  apiUrl: string;
  customerId: string;
  secretKey: string;
  apiKey: string;
  instance: string | undefined;
  connectUrl: string | undefined;
}

/** Reads and validates the `FLINKS_*` connection settings; throws a {@link ConfigError}. */
export function readFlinksEnv(env: Env): FlinksEnv {
  const apiUrlOverride = read(env, 'FLINKS_API_URL', httpUrl, 'an http(s) URL');
  const connectUrl = read(env, 'FLINKS_CONNECT_URL', httpUrl, 'an http(s) URL');
  const instance = read(
    env,
    'FLINKS_INSTANCE',
    z.string().regex(/^[a-z0-9-]+$/i),
    'an instance name such as `toolbox`',
    {
      required: !(apiUrlOverride && connectUrl),
    },
  );
  const customerId = read(
    env,
    'FLINKS_CUSTOMER_ID',
    z.string().regex(/^[\w-]+$/),
    'your Flinks customer id (a GUID)',
    { required: true },
  );
  const secretKey = read(env, 'FLINKS_SECRET_KEY', secret, 'your Flinks secret key', {
    required: true,
  });
  const apiKey = read(env, 'FLINKS_API_KEY', secret, 'your Flinks x-api-key', { required: true });
  return {
    apiUrl: apiUrlOverride ?? `https://${instance}-api.private.fin.ag`,
    customerId: customerId as string,
    secretKey: secretKey as string,
    apiKey: apiKey as string,
    instance,
    connectUrl,
  };
}

const DATABASE_URL = z.string().regex(/^(sqlite:|postgres(ql)?:\/\/|\.{0,2}\/|[\w.-])/);

/** Reads `FLINKIT_DATABASE_URL` (optional; undefined = the default SQLite file); throws a {@link ConfigError}. */
export function readDatabaseUrl(env: Env): string | undefined {
  return read(env, 'FLINKIT_DATABASE_URL', DATABASE_URL, 'sqlite:<path> or postgres://…');
}

/** Reads `FLINKIT_ENCRYPTION_KEYS`; throws a {@link ConfigError}. */
export function readEncryptionKeys(env: Env): EncryptionKey[] {
  const encryptionKeys = read(
    env,
    'FLINKIT_ENCRYPTION_KEYS',
    keys,
    'comma-separated keyId:base64key with 32-byte keys (`flinkit keygen` makes one)',
    { required: true },
  );
  return encryptionKeys as EncryptionKey[];
}

/**
 * What `flinkit migrate` needs: `FLINKIT_DATABASE_URL` (default SQLite file) and, to report
 * stored values whose key is missing, `FLINKIT_ENCRYPTION_KEYS` when set. No Flinks
 * credentials, no token secret.
 */
export function loadStoreEnvConfig(env: Env): {
  databaseUrl?: string;
  encryptionKeys?: EncryptionKey[];
} {
  const databaseUrl = readDatabaseUrl(env);
  const set =
    env.FLINKIT_ENCRYPTION_KEYS !== undefined && env.FLINKIT_ENCRYPTION_KEYS.trim() !== '';
  return {
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(set ? { encryptionKeys: readEncryptionKeys(env) } : {}),
  };
}

/**
 * The standalone configuration (apps/docs/architecture.md#configuration) from environment
 * variables, validated with zod. Throws a {@link ConfigError} naming the first missing or malformed
 * variable.
 */
export function loadEnvConfig(env: Env): ServerConfig {
  const { instance, connectUrl, ...settings } = readFlinksEnv(env);
  const databaseUrl = readDatabaseUrl(env);
  const encryptionKeys = readEncryptionKeys(env);
  const userTokenSecret = read(
    env,
    'FLINKIT_USER_TOKEN_SECRET',
    z.string().min(32),
    'a random secret of at least 32 characters',
    { required: true },
  );
  const allowedOrigins = read(
    env,
    'FLINKIT_ALLOWED_ORIGINS',
    origins,
    'comma-separated origins such as https://app.example.com',
  );
  const webhookSecret = read(
    env,
    'FLINKS_WEBHOOK_SECRET',
    secret,
    'the HMAC secret Flinks gave you',
  );
  const forwardUrl = read(env, 'FLINKIT_FORWARD_URL', httpUrl, 'an http(s) URL');
  const forwardSecret = read(
    env,
    'FLINKIT_FORWARD_SECRET',
    z.string().regex(/^(whsec_)?[A-Za-z0-9+/]{22,}={0,2}$/),
    'whsec_ + base64 of at least 16 bytes (`flinkit keygen --webhook` makes one)',
    { required: forwardUrl !== undefined },
  );
  if (forwardSecret !== undefined && forwardUrl === undefined) {
    throw new ConfigError(
      'FLINKIT_FORWARD_URL',
      'FLINKIT_FORWARD_URL: missing; expected an http(s) URL when FLINKIT_FORWARD_SECRET is set.',
    );
  }
  const pollIntervalMs = read(
    env,
    'FLINKIT_POLL_INTERVAL_MS',
    int(10),
    'an integer number of milliseconds (≥ 10)',
  );
  const pollTimeoutMs = read(
    env,
    'FLINKIT_POLL_TIMEOUT_MS',
    int(1000),
    'an integer number of milliseconds (≥ 1000)',
  );
  const detailTimeoutMs = read(
    env,
    'FLINKS_DETAIL_TIMEOUT_MS',
    int(1000),
    'an integer number of milliseconds (≥ 1000; keep it above 210000, the longest hold of Flinks)',
  );
  const accountsView = read(
    env,
    'FLINKIT_ACCOUNTS_VIEW',
    z.enum(['summary', 'full']),
    '`summary` or `full`',
  );
  const demo = read(env, 'FLINKS_DEMO', bool, '`true` or `false`');
  const deleteUpstream = read(env, 'FLINKIT_DELETE_UPSTREAM', bool, '`true` or `false`');
  const acceptUnsignedWebhooks = read(
    env,
    'FLINKIT_ACCEPT_UNSIGNED_WEBHOOKS',
    bool,
    '`true` or `false`',
  );
  const allowedParams = read(
    env,
    'FLINKIT_CONNECT_ALLOWED_PARAMS',
    z.string().regex(/^[\w,\s]*$/),
    'comma-separated Connect parameter names',
  );
  const fixedParams = read(
    env,
    'FLINKIT_CONNECT_PARAMS',
    z.string().transform((value) => Object.fromEntries(new URLSearchParams(value))),
    'a query string such as consentEnable=true&customerName=Acme',
  );
  const redirectUrl = read(
    env,
    'FLINKIT_CONNECT_REDIRECT_URL',
    z.url({ protocol: /^(https?|[a-z][a-z0-9+.-]*)$/ }),
    'an absolute URL of a page of yours, such as https://app.example.com/flinks/done',
  );
  const port = read(env, 'PORT', int(0, 65535), 'a port number (0–65535)');
  const host = read(env, 'HOST', z.string().regex(/^[\w.:[\]-]+$/), 'a host name or IP address');
  const positiveMs = 'a positive integer number of milliseconds';
  const headersTimeoutMs = read(env, 'FLINKIT_HEADERS_TIMEOUT_MS', int(1), positiveMs);
  const requestTimeoutMs = read(env, 'FLINKIT_REQUEST_TIMEOUT_MS', int(1), positiveMs);
  const keepAliveTimeoutMs = read(env, 'FLINKIT_KEEP_ALIVE_TIMEOUT_MS', int(1), positiveMs);
  const shutdownTimeoutMs = read(env, 'FLINKIT_SHUTDOWN_TIMEOUT_MS', int(1), positiveMs);
  const ssePerUser = read(env, 'FLINKIT_SSE_MAX_PER_USER', int(1), 'a positive integer');
  const sseStreams = read(env, 'FLINKIT_SSE_MAX_STREAMS', int(1), 'a positive integer');
  const sseBufferBytes = read(env, 'FLINKIT_SSE_BUFFER_BYTES', int(1024), 'bytes (≥ 1024)');
  const level = read(
    env,
    'FLINKIT_LOG_LEVEL',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    'fatal, error, warn, info, debug, trace or silent',
  );

  const flinks = {
    ...settings,
    ...(detailTimeoutMs === undefined ? {} : { detailTimeoutMs }),
  };
  return {
    flinks,
    engineOptions: {
      flinks,
      encryptionKeys,
      ...(databaseUrl ? { databaseUrl } : {}),
      ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
      ...(pollTimeoutMs === undefined ? {} : { pollTimeoutMs }),
    },
    connect: {
      ...(instance ? { instance } : {}),
      ...(connectUrl ? { url: connectUrl } : {}),
      ...(demo === undefined ? {} : { demo }),
      ...(redirectUrl ? { redirectUrl } : {}),
      ...(allowedParams === undefined
        ? {}
        : {
            allowedParams: allowedParams
              .split(',')
              .map((name) => name.trim())
              .filter(Boolean),
          }),
      ...(fixedParams === undefined ? {} : { fixedParams }),
    },
    userTokenSecret: userTokenSecret as string,
    ...(allowedOrigins ? { allowedOrigins } : {}),
    ...(webhookSecret ? { webhookSecret } : {}),
    ...(forwardUrl && forwardSecret ? { forward: { url: forwardUrl, secret: forwardSecret } } : {}),
    ...(accountsView ? { accountsView } : {}),
    ...(deleteUpstream === undefined ? {} : { deleteUpstream }),
    ...(acceptUnsignedWebhooks === undefined ? {} : { acceptUnsignedWebhooks }),
    ...(level ? { logger: { level } } : {}),
    ...(headersTimeoutMs === undefined ? {} : { headersTimeoutMs }),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
    ...(keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeoutMs }),
    ...(shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs }),
    ...(ssePerUser === undefined && sseStreams === undefined
      ? {}
      : {
          sseLimits: {
            ...(ssePerUser === undefined ? {} : { perUser: ssePerUser }),
            ...(sseStreams === undefined ? {} : { perProcess: sseStreams }),
          },
        }),
    ...(sseBufferBytes === undefined ? {} : { sseBufferBytes }),
    port: port ?? 8787,
    host: host ?? '127.0.0.1',
  };
}
