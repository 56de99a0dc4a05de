import type { CreateSessionResponse } from '@flinkit/core/wire';
import { ConfigError } from '../base/errors';
import type { RetrievalEngine } from '../engine/types';
import { FlinksApiError } from '../flinks/errors';
import { type ConnectConfig, DEFAULT_BROWSER_PARAMS, type FlinkitConfig } from './config';
import { HttpError } from './http-error';

/** Mints a Flinks authorize token. */
export type MintAuthorizeToken = () => Promise<{ token: string; expiresAt?: string }>;

/** Default lifetime announced for an authorize token: 15 min (the shorter figure Flinks gives). */
export const DEFAULT_TOKEN_TTL_MS = 15 * 60_000;

/** What the browser asked for in `POST /v1/connect/sessions`. */
export interface SessionRequest {
  language?: 'en' | 'fr' | undefined;
  tag?: string | undefined;
  params?: Record<string, string | boolean> | undefined;
}

// Never settable by the browser, whatever the allowlist says: they decide where the customer
// (and the loginId) goes.
const SERVER_ONLY = new Set([
  'authorizeToken',
  'demo',
  'redirectUrl',
  'innerRedirect',
  'jsRedirect',
  'oauthWindowRedirect',
  'language',
  'tag',
]);

/**
 * Set unless the server's `fixedParams` say otherwise, so Connect never navigates the host's
 * top window unless the host asked for it: `innerRedirect=true` keeps a redirect inside the
 * iframe, `jsRedirect=true` leaves the REDIRECT message as the way back (the official samples pair
 * `redirectUrl` with `innerRedirect=true`, docs.flinks.com /docs/parameters). `oauthWindowRedirect`
 * (the whole window goes to an OAuth bank) is never set by default.
 */
export const SAFE_REDIRECT_PARAMS: Readonly<Record<string, string>> = {
  innerRedirect: 'true',
  jsRedirect: 'true',
};

/**
 * The page of the proxy's own that stands for `redirectUrl` when the server configures none:
 * `GET /v1/connect/done` (a static "you can close this" page). Connect then always has an http(s)
 * `redirectUrl` (the OAuth guide calls it required, and the REDIRECT message's `url` carries the
 * loginId in its query), while `jsRedirect=true` keeps it from navigating anywhere.
 */
export const DONE_PATH = '/v1/connect/done';

/** The `redirectUrl` the server sets (`connect.redirectUrl`, or one in `fixedParams`), if any. */
export function configuredRedirectUrl(connect: ConnectConfig): string | undefined {
  const fixed = connect.fixedParams?.redirectUrl;
  return typeof fixed === 'string' && fixed !== '' ? fixed : connect.redirectUrl;
}

/** The iframe base URL: `connect.url`, or `https://{instance}-iframe.private.fin.ag/v2/`. */
export function connectBaseUrl(connect: ConnectConfig): string {
  if (connect.url) return connect.url;
  if (!connect.instance || !/^[a-z0-9-]+$/i.test(connect.instance)) {
    throw new ConfigError(
      'connect.instance',
      'flinkit: set `connect.instance` (e.g. `toolbox`) or `connect.url`.',
    );
  }
  return `https://${connect.instance}-iframe.private.fin.ag/v2/`;
}

/**
 * Builds the Flinks Connect URL from server configuration plus the parameters the browser
 * is allowed to choose; the browser can change neither the host nor a server-set parameter.
 */
export function buildConnectSessionUrl(
  connect: ConnectConfig,
  token: string,
  request: SessionRequest,
  /** The `redirectUrl` when the server configures none (the proxy's own {@link DONE_PATH}). */
  fallbackRedirectUrl?: string,
): string {
  const url = new URL(connectBaseUrl(connect));
  const allowed = new Set(connect.allowedParams ?? DEFAULT_BROWSER_PARAMS);
  const fixed = connect.fixedParams ?? {};
  for (const [name, value] of Object.entries(request.params ?? {})) {
    if (allowed.has(name) && !SERVER_ONLY.has(name) && !(name in fixed)) {
      url.searchParams.set(name, String(value));
    }
  }
  const redirectUrl = configuredRedirectUrl(connect) ?? fallbackRedirectUrl;
  if (redirectUrl) url.searchParams.set('redirectUrl', redirectUrl);
  for (const [name, value] of Object.entries(SAFE_REDIRECT_PARAMS))
    url.searchParams.set(name, value);
  for (const [name, value] of Object.entries(fixed)) url.searchParams.set(name, String(value));
  url.searchParams.set('language', request.language ?? connect.language ?? 'en');
  if (request.tag !== undefined) url.searchParams.set('tag', request.tag);
  if (connect.demo) url.searchParams.set('demo', 'true');
  url.searchParams.set('authorizeToken', token);
  return url.toString();
}

/**
 * The token minter of an app: `config.mintAuthorizeToken`, or the engine's
 * `mintAuthorizeToken()` (GenerateAuthorizeToken through the engine's one Flinks client: timeout,
 * bounded retries, upstream metrics).
 */
export function createTokenMinter(
  config: FlinkitConfig,
  engine: Promise<RetrievalEngine>,
): MintAuthorizeToken {
  if (config.mintAuthorizeToken) return config.mintAuthorizeToken;
  return async () => ({ token: await (await engine).mintAuthorizeToken() });
}

/** Mints a token and returns the session answer; upstream failures become 502. */
export async function createConnectSession(
  mint: MintAuthorizeToken,
  connect: ConnectConfig,
  request: SessionRequest,
  options: { now: number; fallbackRedirectUrl?: string },
): Promise<CreateSessionResponse> {
  let minted: { token: string; expiresAt?: string };
  try {
    minted = await mint();
  } catch (error) {
    const recoverable = FlinksApiError.isInstance(error) ? error.recoverable : true;
    throw new HttpError(
      502,
      'upstream_error',
      recoverable
        ? 'Flinks did not give an authorize token. Try again in a moment.'
        : 'Flinks refused to give an authorize token. Check the proxy’s Flinks credentials.',
      recoverable,
    );
  }
  return {
    url: buildConnectSessionUrl(connect, minted.token, request, options.fallbackRedirectUrl),
    expiresAt:
      minted.expiresAt ??
      new Date(options.now + (connect.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS)).toISOString(),
  };
}
