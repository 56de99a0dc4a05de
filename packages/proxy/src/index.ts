/**
 * `@flinkit/proxy`: the self-hosted Flinks backend as a fetch-native HTTP API (Hono) —
 * `createFlinkitApp(config).fetch` mounts in Next.js route handlers, Express (through
 * `@hono/node-server`), Bun or Deno. Importing it loads no database driver and no Node server:
 * the engine an app creates is loaded when the app starts it, and `startServer` and
 * `createEngine` live in `@flinkit/proxy/node`.
 */

export type { EncryptionKey } from './base/crypto';
export { ConfigError, FlinkitProxyError } from './base/errors';
export {
  type AccountsDetailEvent,
  FORWARD_EVENT_TYPE,
  type ForwardedWebhook,
  signStandardWebhook,
  type VerifyForwardedWebhookOptions,
  verifyForwardedWebhook,
  WebhookVerificationError,
} from './base/forward-webhook';
export {
  createLogger,
  type FlinkitLogger,
  type Logger,
  type LoggerOptions,
  REDACT_PATHS,
} from './base/logger';
export { createForwardDeliverer, type ForwardDelivererOptions } from './engine/forward';
export type {
  CreateConnectionInput,
  Deliver,
  EngineOptions,
  RetrievalEngine,
  WebhookOutcome,
} from './engine/types';
export type { FlinksCredentials, UpstreamCallMetric } from './flinks/client';
export { FlinksApiError, type FlinksErrorKind } from './flinks/errors';
export {
  FLINKS_SIGNATURE_HEADERS,
  signFlinksWebhook,
  verifyFlinksSignature,
} from './flinks/webhook-signature';
export { createFlinkitApp, DEFAULT_WEBHOOK_BODY_LIMIT_BYTES, type FlinkitApp } from './http/app';
export {
  type Authenticate,
  DEFAULT_USER_TOKEN_TTL_SECONDS,
  type Identity,
  type SignUserTokenOptions,
  signUserToken,
  verifyUserToken,
} from './http/auth';
export { type ConnectConfig, DEFAULT_BROWSER_PARAMS, type FlinkitConfig } from './http/config';
export {
  buildConnectSessionUrl,
  DEFAULT_TOKEN_TTL_MS,
  type MintAuthorizeToken,
} from './http/connect-session';
export { HttpError } from './http/http-error';
export { createMetrics, type Metrics } from './http/metrics';
export {
  type NextHandlersOptions,
  type NextRouteHandler,
  type NextRouteHandlers,
  toNextHandlers,
} from './http/next';
export {
  createMemoryRateLimiter,
  type RateLimiter,
  type RateLimitResult,
  type RateLimitRule,
} from './http/rate-limit';
export { createMemoryTicketStore, type Ticket, type TicketStore } from './http/tickets';
export type { CoordinationStore } from './store/store';
