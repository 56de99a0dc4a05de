import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../base/errors';
import { HttpError } from './http-error';

/** Who the caller is, as the host app's `authenticate` or the user token says. */
export interface Identity {
  userId: string;
}

/** The host app's hook: resolve the caller of `request`, or null when not signed in. */
export type Authenticate = (request: Request) => Promise<Identity | null> | Identity | null;

/** Options of {@link signUserToken}. */
export interface SignUserTokenOptions {
  userId: string;
  /** HS256 secret shared with the proxy (`FLINKIT_USER_TOKEN_SECRET`, at least 32 characters). */
  secret: string;
  /** Lifetime in seconds; default 900 (15 min). */
  ttlSeconds?: number;
  /** Clock for tests; default `Date.now`. */
  now?: () => number;
}

/** Default lifetime of a user token: 15 minutes. */
export const DEFAULT_USER_TOKEN_TTL_SECONDS = 900;

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/**
 * Signs a short-lived HS256 JWT (`sub` = userId, `iat`, `exp`) that the standalone proxy
 * accepts as `Authorization: Bearer <token>`. Call it in your backend, after your own login.
 *
 * @example
 * const token = signUserToken({ userId: 'alice', secret: process.env.FLINKIT_USER_TOKEN_SECRET! });
 */
export function signUserToken(options: SignUserTokenOptions): string {
  if (options.userId === '') {
    throw new ConfigError('userId', 'signUserToken: userId must not be empty.');
  }
  const iat = Math.floor((options.now ?? Date.now)() / 1000);
  const ttl = options.ttlSeconds ?? DEFAULT_USER_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) {
    throw new ConfigError('ttlSeconds', 'signUserToken: ttlSeconds must be a positive integer.');
  }
  const payload = base64url(JSON.stringify({ sub: options.userId, iat, exp: iat + ttl }));
  return `${HEADER}.${payload}.${sign(`${HEADER}.${payload}`, options.secret)}`;
}

/**
 * Verifies a user token: three parts, header `alg` exactly `HS256` (so `none` and RS/ES
 * confusion are refused), a constant-time signature check, `exp` in the future, `iat` not in
 * the future. Returns the identity, or throws a 401 `unauthorized` {@link HttpError}.
 */
export function verifyUserToken(
  token: string,
  secret: string,
  now: () => number = Date.now,
): Identity {
  const claims = verifySignedClaims(token, secret);
  checkLifetime(claims, now() / 1000);
  return { userId: claims.sub };
}

/** Options of {@link createUserTokenVerifier}. */
export interface UserTokenVerifierOptions {
  secret: string;
  /** Clock; default `Date.now`. */
  now?: () => number;
  /** Most verified tokens remembered; default 1 000. */
  capacity?: number;
}

/**
 * {@link verifyUserToken} with a small LRU of tokens whose signature already checked out: a
 * browser resends the same token on every request, and the HMAC dominated the status route.
 * The key is the whole token string, so only byte-identical tokens hit; the lifetime checks
 * run on every call, so a remembered token still expires on time.
 */
export function createUserTokenVerifier(
  options: UserTokenVerifierOptions,
): (token: string) => Identity {
  const { secret, now = Date.now, capacity = 1_000 } = options;
  const verified = new Map<string, TokenClaims>();
  return (token) => {
    let claims = verified.get(token);
    if (claims) {
      verified.delete(token); // re-inserted below: the Map's order is the LRU order
    } else {
      claims = verifySignedClaims(token, secret);
    }
    checkLifetime(claims, now() / 1000);
    if (verified.size >= capacity) verified.delete(verified.keys().next().value as string);
    verified.set(token, claims);
    return { userId: claims.sub };
  };
}

/** Identity from `Authorization: Bearer <token>`; throws 401 when missing or invalid. */
export function identityFromBearer(
  request: Request,
  secret: string,
  now: () => number = Date.now,
): Identity {
  return verifyUserToken(bearerToken(request), secret, now);
}

/** The token of `Authorization: Bearer <token>`; throws 401 when there is none. */
export function bearerToken(request: Request): string {
  return bearerFromHeader(request.headers.get('authorization'));
}

/** The token of an `Authorization` header's value; throws 401 when there is none. */
export function bearerFromHeader(header: string | null | undefined): string {
  const match = header == null ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw unauthorized('Send a user token as `Authorization: Bearer <token>`.');
  }
  return match[1];
}

interface TokenClaims {
  sub: string;
  exp: number;
  iat?: unknown;
  nbf?: unknown;
}

/**
 * Shape, `alg`, `crit`, constant-time signature and subject: what never changes for a given
 * token. Each part must be canonical base64url (no padding, no other alphabet, no stray
 * bits), as `jose` requires: a lenient decoder would accept many spellings of one token.
 */
function verifySignedClaims(token: string, secret: string): TokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every(isCanonicalBase64url)) {
    throw unauthorized('The user token is malformed.');
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parseJson(headerPart);
  if (header === null || header.alg !== 'HS256') {
    throw unauthorized('The user token must be signed with HS256.');
  }
  // RFC 7515 §4.1.11: a recipient must reject extensions it does not understand; we know none.
  if ('crit' in header) {
    throw unauthorized('The user token has a `crit` header this proxy does not support.');
  }
  const expected = Buffer.from(sign(`${headerPart}.${payloadPart}`, secret), 'latin1');
  const actual = Buffer.from(signaturePart, 'latin1');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw unauthorized('The user token signature is invalid.');
  }
  const payload = parseJson(payloadPart);
  if (payload === null || typeof payload.sub !== 'string' || payload.sub === '') {
    throw unauthorized('The user token has no subject.');
  }
  if (typeof payload.exp !== 'number') {
    throw unauthorized('The user token has expired. Get a new one from your backend.');
  }
  return { sub: payload.sub, exp: payload.exp, iat: payload.iat, nbf: payload.nbf };
}

/** `exp` in the future, `iat` and `nbf` not (beyond a minute of skew), at `seconds`. */
function checkLifetime(claims: TokenClaims, seconds: number): void {
  if (claims.exp <= seconds) {
    throw unauthorized('The user token has expired. Get a new one from your backend.');
  }
  // A minute of clock skew between the signing backend and the proxy is tolerated.
  if (typeof claims.iat === 'number' && claims.iat > seconds + 60) {
    throw unauthorized('The user token is issued in the future. Check the clocks.');
  }
  if (typeof claims.nbf === 'number' && claims.nbf > seconds + 60) {
    throw unauthorized('The user token is not valid yet.');
  }
}

/** 401 `unauthorized` with `message`. */
export function unauthorized(message: string): HttpError {
  return new HttpError(401, 'unauthorized', message, true);
}

function sign(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

function isCanonicalBase64url(part: string): boolean {
  return (
    /^[A-Za-z0-9_-]*$/.test(part) && Buffer.from(part, 'base64url').toString('base64url') === part
  );
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function parseJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
