import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { KeyMissingError } from '../base/crypto';
import { ConfigError, FlinkitProxyError } from '../base/errors';
import { createLogger, createScrubber, type FlinkitLogger, pathOnly } from '../base/logger';
import type { RetrievalEngine } from '../engine/types';
import { FlinksApiError, upstreamFailureFields, upstreamFailureMessage } from '../flinks/errors';
import { isStoreUnavailable } from '../store/store-errors';
import type { AppContext } from './app-context';
import {
  type Authenticate,
  bearerFromHeader,
  bearerToken,
  createUserTokenVerifier,
  type Identity,
  unauthorized,
} from './auth';
import type { FlinkitConfig } from './config';
import { connectBaseUrl, createTokenMinter } from './connect-session';
import { createOwnedEngine } from './engine-factory';
import { errorResponse, HttpError } from './http-error';
import { createMetrics, type Metrics } from './metrics';
import { DEFAULT_BODY_LIMIT_BYTES } from './request-body';
import { connectionRoutes } from './routes/connections';
import { eventRoutes } from './routes/events';
import { opsRoutes } from './routes/ops';
import { sessionRoutes } from './routes/sessions';
import { webhookRoutes } from './routes/webhooks';
import { createAppSharedState } from './shared-state';
import { createHeartbeats, DEFAULT_HEARTBEAT_MS } from './sse';
import { attachFastRead, createStatusFastPath } from './status-fast-path';
import { createStreamSlots } from './stream-limits';

/** What {@link createFlinkitApp} returns. */
export interface FlinkitApp {
  /** The Hono app: mount it with `app.route()`, or serve `app.fetch`. */
  app: Hono;
  /** `(request) => Promise<Response>`: for Next.js route handlers, Bun, Deno, `@hono/node-server`. */
  fetch: (request: Request) => Promise<Response>;
  /** Resolves with the engine once it exists; rejects when it could not be created (bad database…). */
  ready: Promise<RetrievalEngine>;
  metrics: Metrics;
  logger: FlinkitLogger;
  /** Resolves when webhook processing that outlived its response is done. */
  whenIdle(): Promise<void>;
  /**
   * Ends every open SSE stream with `event: reconnect` (and `retry:`), so clients resume with
   * `Last-Event-ID` on another instance or after a restart. `close()` does it too.
   */
  endStreams(): void;
  /** Ends SSE streams, waits for webhook processing, stops the engine the app created. */
  close(): Promise<void>;
}

/** Default limit of 20 MB for Flinks webhooks: payloads carry a year of transactions. */
export const DEFAULT_WEBHOOK_BODY_LIMIT_BYTES = 20 * 1024 * 1024;

/**
 * Builds the proxy's HTTP API (apps/docs/architecture.md#proxy-http-api). Synchronous: the engine
 * is created in the background when `engineOptions` is given, and routes wait for it;
 * `await flinkit.ready` to fail fast on a bad configuration.
 *
 * @example
 * const flinkit = createFlinkitApp({ engineOptions, flinks, connect: { instance: 'toolbox' },
 *   authenticate: async (request) => ({ userId: await mySession(request) }) });
 * export const GET = flinkit.fetch; // Next.js route handler
 */
export function createFlinkitApp(config: FlinkitConfig): FlinkitApp {
  const now = config.now ?? Date.now;
  const logger = isLogger(config.logger) ? config.logger : createLogger(config.logger);
  const metrics = createMetrics();
  const flinks = config.flinks ?? config.engineOptions?.flinks;
  const scrub = createScrubber([
    flinks?.secretKey,
    flinks?.apiKey,
    config.userTokenSecret,
    config.webhookSecret,
    config.forward?.secret,
  ]);
  const describe = (error: unknown) =>
    scrub(error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown');
  const verify =
    config.authenticate || config.userTokenSecret === undefined
      ? null
      : createUserTokenVerifier({ secret: config.userTokenSecret, now });
  const identify = createIdentify(config, verify);
  // The Connect URL settings are checked now when this app is meant to mint sessions, so a bad
  // one stops the start rather than the first customer.
  if (config.connect || flinks || config.mintAuthorizeToken) connectBaseUrl(config.connect ?? {});
  if (!config.engine && !config.engineOptions) {
    throw new ConfigError('engine', 'createFlinkitApp: pass `engine` or `engineOptions`.');
  }
  const owned = config.engine === undefined;
  const ready = config.engine
    ? Promise.resolve(config.engine)
    : createOwnedEngine(config, logger, metrics.recordUpstreamCall);
  // The engine once it exists, for the status route's Node path, which cannot wait for it.
  let engineNow: RetrievalEngine | undefined;
  ready.then(
    (engine) => {
      engineNow = engine;
    },
    (error: unknown) => {
      logger.error(
        { event: 'engine_failed', error: describe(error) },
        'the engine could not start',
      );
    },
  );
  const mint = createTokenMinter(config, ready);

  if (config.webhookSecret === undefined) {
    logger.warn(
      { event: config.acceptUnsignedWebhooks ? 'webhooks_unsigned' : 'webhooks_disabled' },
      config.acceptUnsignedWebhooks
        ? 'FLINKS_WEBHOOK_SECRET is not set: Flinks webhooks are accepted without a signature check'
        : 'FLINKS_WEBHOOK_SECRET is not set: Flinks webhooks are refused; retrievals finish by polling',
    );
  }
  const shared = createAppSharedState({
    engine: ready,
    rules: {
      sessions: { limit: 10, windowMs: 60_000, ...config.rateLimits?.sessions },
      connections: { limit: 30, windowMs: 60_000, ...config.rateLimits?.connections },
    },
    now,
  });
  const pending = new Set<Promise<void>>();
  const streams = new Set<() => void>();
  const allowedOrigins = new Set(config.allowedOrigins ?? []);
  // Responses made by context.json(): they carry the /v1 headers already.
  const complete = new WeakSet<Response>();
  // A plain header object: the Node adapter writes it as is, without a Headers instance.
  const jsonHeaders = (origin: string | undefined): Record<string, string> => ({
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'access-control-expose-headers': 'retry-after',
    vary: 'Origin',
    ...(origin && allowedOrigins.has(origin) ? { 'access-control-allow-origin': origin } : {}),
  });
  const context: AppContext = {
    config,
    engine: ready,
    identify,
    tickets: config.ticketStore ?? shared.tickets,
    limiters: config.rateLimiter ?? shared.limiters,
    metrics,
    logger,
    mint,
    now,
    describe,
    track(work) {
      pending.add(work);
      void work.finally(() => pending.delete(work));
    },
    trackStream(close) {
      streams.add(close);
      return () => streams.delete(close);
    },
    streamSlots: createStreamSlots(config.sseLimits),
    heartbeats: createHeartbeats(config.heartbeatMs ?? DEFAULT_HEARTBEAT_MS),
    json(c, body, status = 200) {
      const response = new Response(JSON.stringify(body), {
        status,
        headers: jsonHeaders(c.req.header('origin')),
      });
      complete.add(response);
      return response;
    },
  };

  const base = normalizeBasePath(config.basePath);
  const app = base === '' ? new Hono() : new Hono().basePath(base);
  // The request line holds only method, path, status and duration, which no redact path can
  // match: on our own logger, a child without redaction writes the same line at a fraction of
  // the cost. It logs at info; the parent's current level decides whether it is written.
  const requestLogger = isLogger(config.logger)
    ? logger
    : logger.child({}, { redact: [], level: 'info' });
  const logRequest = (method: string, path: string, status: number, started: number) => {
    if (!logger.isLevelEnabled('info')) return;
    requestLogger.info(
      { method, path, status, durationMs: Math.round(performance.now() - started) },
      'request',
    );
  };
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    if (c.req.path === `${base}/healthz` || c.req.path === `${base}/metrics`) return;
    // The path only: an SSE `?ticket=` must never reach a log line.
    logRequest(c.req.method, pathOnly(c.req.url), c.res.status, started);
  });
  const preflight = cors({
    origin: (origin) => (allowedOrigins.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'DELETE'],
    allowHeaders: ['authorization', 'content-type', 'last-event-id'],
    exposeHeaders: ['retry-after'],
    maxAge: 600,
  });
  app.use('/v1/*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    // The headers cors() would add, set on the finished response: cors() touches `c.res` before
    // the handler and calls `c.header()` after it, and each makes Hono rebuild the response.
    await next();
    if (complete.has(c.res)) return;
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
    const origin = c.req.header('origin') || '';
    if (allowedOrigins.has(origin)) c.res.headers.set('access-control-allow-origin', origin);
    c.res.headers.set('access-control-expose-headers', 'retry-after');
    c.res.headers.append('vary', 'Origin');
  });
  const tooLarge = () =>
    errorResponse(new HttpError(413, 'payload_too_large', 'The request body is too large.', false));
  const apiLimit = bodyLimit({
    maxSize: config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    onError: tooLarge,
  });
  const webhookLimit = bodyLimit({
    maxSize: config.webhookBodyLimitBytes ?? DEFAULT_WEBHOOK_BODY_LIMIT_BYTES,
    onError: tooLarge,
  });
  app.use('/v1/*', (c, next) => {
    // GET and HEAD carry no body, and asking for one makes the Node adapter build a full Request.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return c.req.path === `${base}/v1/webhooks/flinks` ? webhookLimit(c, next) : apiLimit(c, next);
  });

  app.route('/v1/connect', sessionRoutes(context));
  app.route('/v1/connections', eventRoutes(context));
  app.route('/v1/connections', connectionRoutes(context));
  app.route('/v1/webhooks', webhookRoutes(context));
  app.route('/', opsRoutes(context));

  app.notFound(() =>
    errorResponse(
      new HttpError(404, 'not_found', 'No such route. See GET /v1/openapi.json.', false),
    ),
  );
  app.onError((error) => {
    if (FlinksApiError.isInstance(error)) {
      logger.warn(
        { event: 'upstream_failed', ...upstreamFailureFields(error) },
        upstreamFailureMessage(error),
      );
    }
    if (KeyMissingError.isInstance(error)) {
      logger.error(
        { event: 'encryption_key_missing', keyId: error.keyId },
        `stored data needs key id "${error.keyId}", which FLINKIT_ENCRYPTION_KEYS lacks`,
      );
    }
    if (FlinkitProxyError.isInstance(error)) return errorResponse(error);
    if (isStoreUnavailable(error)) {
      logger.warn(
        { event: 'store_unavailable', error: describe(error) },
        'the database cannot serve this request',
      );
      return errorResponse(
        new HttpError(
          503,
          'store_unavailable',
          'The proxy cannot use its database right now. Try again in a moment.',
          true,
          { headers: { 'retry-after': '5' } },
        ),
      );
    }
    logger.error({ event: 'unexpected_error', error: describe(error) }, 'unexpected error');
    return errorResponse(
      new HttpError(
        500,
        'internal_error',
        'Something went wrong on the proxy. Try again later.',
        true,
      ),
    );
  });

  const whenIdle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  const endStreams = () => {
    for (const close of [...streams]) close();
  };
  const flinkit: FlinkitApp = {
    app,
    fetch: async (request) => app.fetch(request),
    ready,
    metrics,
    logger,
    whenIdle,
    endStreams,
    async close() {
      endStreams();
      await whenIdle();
      if (owned) {
        const engine = await ready.catch(() => null);
        await engine?.stop();
      }
    },
  };
  if (verify) {
    attachFastRead(
      flinkit,
      createStatusFastPath({
        base,
        identify: (authorization) => checkedUserId(verify(bearerFromHeader(authorization))),
        engine: () => engineNow,
        headers: jsonHeaders,
        log: logRequest,
      }),
    );
  }
  return flinkit;
}

function createIdentify(
  config: FlinkitConfig,
  verify: ((token: string) => Identity) | null,
): AppContext['identify'] {
  const authenticate: Authenticate | undefined = config.authenticate;
  if (!authenticate && !config.userTokenSecret) {
    throw new ConfigError(
      'authenticate',
      'createFlinkitApp: pass `authenticate` (embedded) or `userTokenSecret` (standalone).',
    );
  }
  return async (request) =>
    checkedUserId(authenticate ? await authenticate(request) : verify?.(bearerToken(request)));
}

/** The userId of an identity, or a thrown 401 when there is no usable one. */
function checkedUserId(identity: Identity | null | undefined): string {
  if (
    !identity ||
    typeof identity.userId !== 'string' ||
    identity.userId === '' ||
    identity.userId.length > 200
  ) {
    throw unauthorized('Sign in first: this route needs an authenticated user.');
  }
  return identity.userId;
}

function normalizeBasePath(path: string | undefined): string {
  if (path === undefined || path === '' || path === '/') return '';
  if (!/^\/[\w./-]*[^/]$/.test(path)) {
    throw new ConfigError(
      'basePath',
      'createFlinkitApp: `basePath` must look like `/api/flinkit`.',
    );
  }
  return path;
}

function isLogger(value: FlinkitConfig['logger']): value is FlinkitLogger {
  return (
    typeof value === 'object' &&
    value !== null &&
    'child' in value &&
    typeof value.info === 'function'
  );
}
