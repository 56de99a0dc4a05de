/**
 * `@flinkit/proxy`: the self-hosted Flinks backend — an HTTP API (Hono), the retrieval
 * engine, webhook intake and delivery to the host app.
 */

export { createFlinkitApp, DEFAULT_WEBHOOK_BODY_LIMIT_BYTES, type FlinkitApp } from './app';
export {
  type Authenticate,
  DEFAULT_USER_TOKEN_TTL_SECONDS,
  type Identity,
  type SignUserTokenOptions,
  signUserToken,
  verifyUserToken,
} from './auth';
export {
  type AccountsDetailEvent,
  type ConnectConfig,
  DEFAULT_BROWSER_PARAMS,
  type FlinkitConfig,
  type FlinksCredentials,
} from './config';
export {
  buildConnectSessionUrl,
  DEFAULT_TOKEN_TTL_MS,
  type MintAuthorizeToken,
} from './connect-session';
export { createEngine } from './engine';
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
} from './engine-types';
export { ConfigError, loadEnvConfig } from './env-config';
export { FlinkitProxyError, FlinksApiError } from './errors';
export {
  createForwardDeliverer,
  FORWARD_EVENT_TYPE,
  type ForwardDelivererOptions,
  type ForwardedWebhook,
  signStandardWebhook,
  type VerifyForwardedWebhookOptions,
  verifyForwardedWebhook,
  WebhookVerificationError,
} from './forward';
export { HttpError } from './http-error';
export { createLogger, type FlinkitLogger, type LoggerOptions, REDACT_PATHS } from './logger';
export { createMetrics, type Metrics } from './metrics';
export {
  createMemoryRateLimiter,
  type RateLimiter,
  type RateLimitResult,
  type RateLimitRule,
} from './rate-limit';
export { type RunningServer, type ServerConfig, startServer } from './server';
export { createMemoryTicketStore, type Ticket, type TicketStore } from './tickets';
export {
  FLINKS_SIGNATURE_HEADERS,
  signFlinksWebhook,
  verifyFlinksSignature,
} from './webhook-intake';
