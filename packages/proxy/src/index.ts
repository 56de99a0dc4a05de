/**
 * `@flinkit/proxy`: the self-hosted Flinks backend — an HTTP API (Hono), the retrieval
 * engine, webhook intake and delivery to the host app.
 */

export { FlinkitProxyError, FlinksApiError } from './base/errors';
export { createLogger, type FlinkitLogger, type LoggerOptions, REDACT_PATHS } from './base/logger';
export { ConfigError, loadEnvConfig } from './cli/env-config';
export { createEngine } from './engine/engine';
export {
  createForwardDeliverer,
  FORWARD_EVENT_TYPE,
  type ForwardDelivererOptions,
  type ForwardedWebhook,
  signStandardWebhook,
  type VerifyForwardedWebhookOptions,
  verifyForwardedWebhook,
  WebhookVerificationError,
} from './engine/forward';
export type {
  AccountsDetailDelivery,
  ConnectInput,
  Deliver,
  EncryptionKey,
  EngineOptions,
  Logger,
  RetrievalEngine,
  SharedState,
  UpstreamCallMetric,
  WebhookOutcome,
} from './engine/types';
export { createFlinkitApp, DEFAULT_WEBHOOK_BODY_LIMIT_BYTES, type FlinkitApp } from './http/app';
export {
  type Authenticate,
  DEFAULT_USER_TOKEN_TTL_SECONDS,
  type Identity,
  type SignUserTokenOptions,
  signUserToken,
  verifyUserToken,
} from './http/auth';
export {
  type AccountsDetailEvent,
  type ConnectConfig,
  DEFAULT_BROWSER_PARAMS,
  type FlinkitConfig,
  type FlinksCredentials,
} from './http/config';
export {
  buildConnectSessionUrl,
  DEFAULT_TOKEN_TTL_MS,
  type MintAuthorizeToken,
} from './http/connect-session';
export { HttpError } from './http/http-error';
export { createMetrics, type Metrics } from './http/metrics';
export {
  createMemoryRateLimiter,
  type RateLimiter,
  type RateLimitResult,
  type RateLimitRule,
} from './http/rate-limit';
export { type RunningServer, type ServerConfig, startServer } from './http/server';
export { createMemoryTicketStore, type Ticket, type TicketStore } from './http/tickets';
export {
  FLINKS_SIGNATURE_HEADERS,
  signFlinksWebhook,
  verifyFlinksSignature,
} from './http/webhook-intake';
