import type { AccountsDetailEvent } from '../base/forward-webhook';
import type { FlinkitLogger, LoggerOptions } from '../base/logger';
import type { EngineOptions, RetrievalEngine } from '../engine/types';
import type { FlinksCredentials } from '../flinks/client';
import type { Authenticate } from './auth';
import type { RateLimiter, RateLimitRule } from './rate-limit';
import type { TicketStore } from './tickets';

/** How `POST /v1/connect/sessions` builds the Flinks Connect iframe URL (all server-side). */
export interface ConnectConfig {
  /** Flinks instance, e.g. `toolbox`; gives `https://{instance}-iframe.private.fin.ag/v2/`. */
  instance?: string;
  /** Overrides the iframe base URL (`FLINKS_CONNECT_URL`, e.g. the simulator's `/v2/`). */
  url?: string;
  /** Adds `demo=true` (the Flinks Capital test bank). Default false. */
  demo?: boolean;
  /**
   * Where Connect sends the customer back (`redirectUrl`, `?loginId=…&institution=…` appended):
   * a page of yours. Flinks' OAuth guide calls it required (banks that sign in on their own
   * site). `innerRedirect=true` and `jsRedirect=true` are set with it unless `fixedParams` say
   * otherwise, so the host's page is never navigated away. `FLINKIT_CONNECT_REDIRECT_URL`.
   */
  redirectUrl?: string;
  /** Default `en`. */
  language?: 'en' | 'fr';
  /** Parameters the browser may set through `params`; default {@link DEFAULT_BROWSER_PARAMS}. */
  allowedParams?: readonly string[];
  /**
   * Parameters the server always sets; the browser cannot override them. They also win over
   * the redirect defaults (`innerRedirect=false`, `oauthWindowRedirect=true` to let Connect
   * navigate the whole window, e.g. in a mobile app).
   */
  fixedParams?: Record<string, string | boolean>;
  /** Lifetime announced for a new authorize token; default 15 min (Flinks: 15–30 min). */
  tokenTtlMs?: number;
}

/**
 * Presentation-only Connect parameters a browser may choose by default. Anything that changes
 * where data or the user goes (`redirectUrl`, `demo`, `consentEnable`, `tag` handling, …) is
 * server-side only.
 */
export const DEFAULT_BROWSER_PARAMS: readonly string[] = [
  'headerEnable',
  'headerImgEnable',
  'backEnable',
  'closeEnable',
  'institutionFilterEnable',
  'staticLoadingEnable',
  'removePadding',
  'theme',
  'desktopLayout',
  'fixedHeightEnable',
  'boxLayout',
  'loadingType',
  'backgroundColor',
  'foregroundColor1',
  'accountSelectorEnable',
  'accountSelectorMultiple',
  'accountSelectorNoTitle',
  'showAllAccounts',
];

/** Options of `createFlinkitApp`. Exactly one of `engine` and `engineOptions` is needed. */
export interface FlinkitConfig {
  /** A ready engine (tests, custom setups). Its `start`/`stop` stay the caller's job. */
  engine?: RetrievalEngine;
  /**
   * Or: options for `createEngine`; the app creates, starts and (in `close()`) stops it.
   * `flinks` defaults to {@link FlinkitConfig.flinks}; `deliver` to `onAccountsDetail` and/or
   * `forward`; `logger` and `onUpstreamCall` to the app's.
   */
  engineOptions?: Omit<EngineOptions, 'flinks'> & { flinks?: EngineOptions['flinks'] };
  /** Flinks credentials of the engine the app creates: the default of `engineOptions.flinks`. */
  flinks?: FlinksCredentials;
  /**
   * Mints a Flinks authorize token (tests, custom setups); default the engine's
   * `mintAuthorizeToken()` (GenerateAuthorizeToken through its Flinks client).
   */
  mintAuthorizeToken?: () => Promise<{ token: string; expiresAt?: string }>;
  connect?: ConnectConfig;
  /** Embedded mode: resolve the caller from the host app's session. */
  authenticate?: Authenticate;
  /** Standalone mode: HS256 secret of the user tokens (`FLINKIT_USER_TOKEN_SECRET`). */
  userTokenSecret?: string;
  /** Exact origins allowed by CORS (`https://app.example.com`); none by default. */
  allowedOrigins?: readonly string[];
  /** Flinks webhook HMAC secret; when set, unsigned or mis-signed webhooks get 401. */
  webhookSecret?: string;
  /**
   * Take Flinks webhooks without a signature when `webhookSecret` is not set (an instance whose
   * signing Flinks has not enabled). Default false: without a secret the intake answers 403
   * `webhooks_disabled`, because an unsigned body could complete a retrieval with forged data;
   * retrievals then finish by polling.
   */
  acceptUnsignedWebhooks?: boolean;
  /** `summary` (default) or `full` (the raw payload, with account numbers). */
  accountsView?: 'summary' | 'full';
  /** DeleteCard upstream when a connection is deleted; default false. */
  deleteUpstream?: boolean;
  /** Embedded delivery: called once per completion (through the engine's durable outbox). */
  onAccountsDetail?: (event: AccountsDetailEvent) => Promise<void> | void;
  /** Standalone delivery: a Standard Webhooks signed POST to `url` with `secret` (`whsec_…`). */
  forward?: { url: string; secret: string };
  /** Per-user limits; defaults 10/min for sessions and 30/min for connections and refreshes. */
  rateLimits?: { sessions?: RateLimitRule; connections?: RateLimitRule };
  /** Replaces the default limiters (in memory; in the database when the engine is on PostgreSQL). */
  rateLimiter?: { sessions: RateLimiter; connections: RateLimiter };
  /** Replaces the default SSE ticket store (in memory; in the database on PostgreSQL). */
  ticketStore?: TicketStore;
  /** A pino logger, or options for one. */
  logger?: FlinkitLogger | LoggerOptions;
  /** SSE heartbeat interval; default 15 000 ms. */
  heartbeatMs?: number;
  /** Largest request body; default 16 KB. */
  bodyLimitBytes?: number;
  /** Largest Flinks webhook body (payloads carry transactions); default 20 MB. */
  webhookBodyLimitBytes?: number;
  /**
   * Where the app is mounted, e.g. `/api/flinkit` for a Next.js catch-all route handler; the
   * routes become `/api/flinkit/v1/…`. Default: the root.
   */
  basePath?: string;
  /** Clock for tests; default `Date.now`. */
  now?: () => number;
  /** `fetch` used for GenerateAuthorizeToken and the forward webhook; default global fetch. */
  fetch?: typeof fetch;
}
