import { isReplayedRefresh } from './cached-replay';
import { classifyFlinksCode, isPendingFlinksCode } from './codes';
import { FlinksApiError } from './errors';
import {
  type FlinksBody,
  isRetryable,
  networkFailureReason,
  neverSent,
  parseBody,
  parseRetryAfter,
  SAFE_CODE,
} from './response';
import {
  createFetchTransport,
  createPooledTransport,
  TransportError,
  type UpstreamResponse,
} from './transport';

/** Where and how the proxy reaches Flinks: the `FLINKS_*` settings. */
export interface FlinksCredentials {
  /** e.g. `https://toolbox-api.private.fin.ag` or the simulator's URL; `/v3/{customerId}/BankingServices` is appended. */
  apiUrl: string;
  customerId: string;
  secretKey: string;
  apiKey: string;
  /**
   * Per HTTP attempt of every call but GetAccountsDetail: the answer's headers, then each part of
   * its body, must come within this long; default 30 000 ms.
   */
  timeoutMs?: number;
  /**
   * Per GetAccountsDetail attempt; default 240 000 ms (`FLINKS_DETAIL_TIMEOUT_MS`): Flinks may
   * hold that call up to 210 s before it answers 202.
   */
  detailTimeoutMs?: number;
  /** Retries after the first try on network errors, timeouts, 5xx and 429; default 2. */
  maxRetries?: number;
}

/** One upstream Flinks call, reported for `/metrics`. */
export interface UpstreamCallMetric {
  endpoint: string;
  /**
   * `data`, `pending`, `stale`, `reauthorize`, `transient`, `terminal`, `network_error`,
   * `timeout`, `abandoned`.
   */
  outcome: string;
  status: number | null;
  durationMs: number;
}

/** What a successful Flinks call gives back. */
export type FlinksResult =
  /** 200: the body as Flinks sent it. */
  | { type: 'data'; body: FlinksBody }
  /** 202 `OPERATION_PENDING` / `OPERATION_DISPATCHED`: poll GetAccountsDetailAsync. */
  | { type: 'pending'; flinksCode: string; body: FlinksBody }
  /**
   * Cached Authorize only: Flinks repeated the last refresh's error (`flinksCode`, e.g.
   * `QUESTION_NOT_FOUND`) but `body.RequestId` still reads its cached data.
   */
  | { type: 'stale'; flinksCode: string; body: FlinksBody };

/** Options of GetAccountsDetail (apps/docs/flinks.md#getaccountsdetail). */
export interface AccountsDetailOptions {
  withAccountIdentity?: boolean;
  withKyc?: boolean;
  withTransactions?: boolean;
  daysOfTransactions?: 'Days90' | 'Days365';
  accountsFilter?: string[];
}

/** Options of {@link createFlinksClient}. */
export interface FlinksClientOptions extends FlinksCredentials {
  /** Longest `Retry-After` honoured inline; a longer one is returned to the caller. Default 10 000. */
  maxRetryAfterMs?: number;
  /** Base of the exponential backoff (full jitter); default 500 ms, capped at 5 000 ms. */
  backoffBaseMs?: number;
  /** Calls Flinks through this `fetch` instead of the client's own keep-alive connection pool. */
  fetch?: typeof fetch;
  onCall?: (metric: UpstreamCallMetric) => void;
  /** In [0, 1); default `Math.random`. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Typed calls to the Flinks Banking Services API. */
export interface FlinksClient {
  /** Mints a single-use authorize token with the secret key. */
  generateAuthorizeToken(): Promise<string>;
  /**
   * Mints a token and calls /Authorize. A retry mints a fresh token first, because a token
   * is single-use and a timed-out attempt may have consumed it.
   */
  authorize(input: {
    loginId: string;
    mostRecentCached: boolean;
    tag?: string;
  }): Promise<FlinksResult>;
  /**
   * POSTs GetAccountsDetail once. It is retried inline only when Flinks answered 429 or 5xx, or
   * when the request certainly never left (DNS failure, refused connection): after a timeout or
   * a dropped connection Flinks may be working on it, so the caller polls
   * GetAccountsDetailAsync instead (the error has `requestSent: true`). `signal` abandons it.
   */
  getAccountsDetail(
    requestId: string,
    options?: AccountsDetailOptions,
    call?: { signal?: AbortSignal },
  ): Promise<FlinksResult>;
  getAccountsDetailAsync(requestId: string): Promise<FlinksResult>;
  /**
   * `DELETE /DeleteCard/{loginId}`. Resolves `deleted`, or `unknown` when Flinks no longer knows
   * the login (200 "Invalid LoginId", or `INVALID_LOGIN`): either way it holds nothing of it.
   */
  deleteCard(loginId: string): Promise<'deleted' | 'unknown'>;
  /** Closes the client's idle connections to Flinks. */
  close(): Promise<void>;
}

interface Call {
  endpoint: string;
  /** GetAccountsDetail: Flinks may hold it for minutes before its 202. */
  mayHold?: boolean;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A cached Authorize: a replayed refresh error with a RequestId is a `stale` result. */
  cachedReplay?: boolean;
}

/**
 * Creates a Flinks client with a timeout on every call and bounded retries (exponential
 * backoff, full jitter, `Retry-After` honoured up to a cap). Errors are {@link FlinksApiError}s
 * whose message and fields never hold the secret key, API key, tokens or loginIds.
 *
 * @example
 * const flinks = createFlinksClient({ apiUrl, customerId, secretKey, apiKey });
 * const result = await flinks.getAccountsDetailAsync(requestId);
 */
export function createFlinksClient(options: FlinksClientOptions): FlinksClient {
  const base = `${options.apiUrl.replace(/\/+$/, '')}/v3/${encodeURIComponent(options.customerId)}/BankingServices`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const detailTimeoutMs = options.detailTimeoutMs ?? 240_000;
  const maxRetries = options.maxRetries ?? 2;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
  const backoffBaseMs = options.backoffBaseMs ?? 500;
  const transport = options.fetch ? createFetchTransport(options.fetch) : createPooledTransport();
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Secrets live only in this closure: never on the returned object, never in an error.
  const secretKey = options.secretKey;
  const apiKey = options.apiKey;

  async function once(call: Call): Promise<FlinksResult> {
    const started = performance.now();
    const report = (outcome: string, status: number | null) =>
      options.onCall?.({
        endpoint: call.endpoint,
        outcome,
        status,
        durationMs: performance.now() - started,
      });
    let response: UpstreamResponse;
    const limitMs = call.timeoutMs ?? timeoutMs;
    try {
      response = await transport.send(`${base}${call.path}`, {
        method: call.method,
        headers: { accept: 'application/json', ...call.headers },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        ...(call.mayHold ? { mayHold: true } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
        timeoutMs: limitMs,
      });
    } catch (error) {
      const abandoned = call.signal?.aborted === true;
      const timedOut = !abandoned && error instanceof TransportError && error.timedOut;
      const code = error instanceof TransportError ? error.code : 'network error';
      report(abandoned ? 'abandoned' : timedOut ? 'timeout' : 'network_error', null);
      const named = timedOut || abandoned || code === 'network error' ? null : code;
      throw new FlinksApiError({
        kind: 'transient',
        endpoint: call.endpoint,
        flinksCode: null,
        httpStatus: null,
        recoverable: true,
        reason: timedOut ? 'timeout' : named === null ? 'network' : networkFailureReason(named),
        networkCode: named,
        requestSent: !neverSent(code),
        message: abandoned
          ? `Flinks ${call.endpoint} was abandoned (the proxy is stopping).`
          : timedOut
            ? `Flinks ${call.endpoint} did not answer within ${limitMs} ms; try again later.`
            : `Could not reach Flinks for ${call.endpoint} (${code}); try again later.`,
      });
    }
    const text = response.text;
    const parsed = parseBody(text);
    if (parsed === null && response.status === 200) {
      report('transient', 200);
      throw new FlinksApiError({
        kind: 'transient',
        endpoint: call.endpoint,
        flinksCode: null,
        httpStatus: 200,
        recoverable: true,
        reason: 'malformed',
        message: `Flinks ${call.endpoint} answered 200 with a body that is not a JSON object; try again later.`,
      });
    }
    const body = parsed ?? {};
    const rawCode = typeof body.FlinksCode === 'string' ? body.FlinksCode : null;
    const flinksCode = rawCode !== null && SAFE_CODE.test(rawCode) ? rawCode : null;
    if (response.status === 200) {
      report('data', 200);
      return { type: 'data', body };
    }
    if (response.status === 202 && (isPendingFlinksCode(flinksCode) || flinksCode === null)) {
      report('pending', 202);
      return { type: 'pending', flinksCode: flinksCode ?? 'OPERATION_PENDING', body };
    }
    if (call.cachedReplay && isReplayedRefresh(response.status, flinksCode, body)) {
      report('stale', response.status);
      return { type: 'stale', flinksCode, body };
    }
    const code = response.status === 203 ? 'MFA_REQUIRED' : flinksCode;
    const classified = classifyFlinksCode(code, response.status);
    report(classified.kind, response.status);
    const retryAfterMs =
      response.status === 429 ? parseRetryAfter(response.header('retry-after')) : undefined;
    throw new FlinksApiError({
      kind: classified.kind,
      endpoint: call.endpoint,
      flinksCode: code,
      httpStatus: response.status,
      recoverable: classified.recoverable,
      message: `Flinks ${call.endpoint} answered ${response.status}${code ? ` ${code}` : ''}: ${classified.description}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  /** Runs `attempt` up to 1 + maxRetries times while the error is retryable. */
  async function withRetries(
    attempt: () => Promise<FlinksResult>,
    retryable: (error: unknown) => error is FlinksApiError = isRetryable,
  ): Promise<FlinksResult> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt();
      } catch (error) {
        if (!retryable(error) || retry >= maxRetries) throw error;
        if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfterMs) throw error;
        const backoff = random() * Math.min(5_000, backoffBaseMs * 2 ** retry);
        await sleep(error.retryAfterMs ?? backoff);
      }
    }
  }

  async function generateAuthorizeToken(): Promise<string> {
    const result = await withRetries(() =>
      once({
        endpoint: 'GenerateAuthorizeToken',
        method: 'POST',
        path: '/GenerateAuthorizeToken',
        headers: { 'flinks-auth-key': secretKey },
      }),
    );
    const token = result.type === 'data' ? result.body.Token : undefined;
    if (typeof token !== 'string' || token === '') {
      throw new FlinksApiError({
        kind: 'transient',
        endpoint: 'GenerateAuthorizeToken',
        flinksCode: null,
        httpStatus: 200,
        recoverable: true,
        message: 'Flinks GenerateAuthorizeToken answered without a token; try again later.',
      });
    }
    return token;
  }

  return {
    generateAuthorizeToken,
    authorize: (input) =>
      // Each try mints its own token: the previous one may have been consumed upstream.
      withRetries(async () => {
        const token = await generateAuthorizeToken();
        const body = {
          LoginId: input.loginId,
          MostRecentCached: input.mostRecentCached,
          ...(input.tag ? { Tag: input.tag } : {}),
        };
        return once({
          endpoint: 'Authorize',
          method: 'POST',
          path: '/Authorize',
          headers: { 'flinks-auth-key': token, 'content-type': 'application/json' },
          body,
          cachedReplay: input.mostRecentCached,
        });
      }),
    getAccountsDetail: (requestId, detail = {}, call = {}) =>
      withRetries(
        () =>
          once({
            endpoint: 'GetAccountsDetail',
            mayHold: true,
            method: 'POST',
            path: '/GetAccountsDetail',
            headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
            body: {
              RequestId: requestId,
              WithAccountIdentity: detail.withAccountIdentity ?? true,
              WithKYC: detail.withKyc ?? true,
              WithTransactions: detail.withTransactions ?? true,
              DaysOfTransactions: detail.daysOfTransactions ?? 'Days90',
              ...(detail.accountsFilter ? { AccountsFilter: detail.accountsFilter } : {}),
            },
            timeoutMs: detailTimeoutMs,
            ...(call.signal ? { signal: call.signal } : {}),
          }),
        // A second POST could start a second job upstream: only when the first never left.
        (error): error is FlinksApiError =>
          isRetryable(error) && (error.httpStatus !== null || !error.requestSent),
      ),
    getAccountsDetailAsync: (requestId) =>
      withRetries(() =>
        once({
          endpoint: 'GetAccountsDetailAsync',
          method: 'GET',
          path: `/GetAccountsDetailAsync/${encodeURIComponent(requestId)}`,
          headers: { 'x-api-key': apiKey },
        }),
      ),
    close: () => transport.close(),
    deleteCard: async (loginId) => {
      let result: FlinksResult;
      try {
        result = await withRetries(() =>
          once({
            endpoint: 'DeleteCard',
            method: 'DELETE',
            path: `/DeleteCard/${encodeURIComponent(loginId)}`,
            // Required by the docs (docs.flinks.com account-linking/delete-card), even with no body.
            headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
          }),
        );
      } catch (error) {
        if (FlinksApiError.isInstance(error) && error.flinksCode === 'INVALID_LOGIN')
          return 'unknown';
        throw error;
      }
      // The answer is `{StatusCode, Message}`; an unknown login may come back as a 200 too.
      const message = result.body.Message;
      return typeof message === 'string' && /invalid loginid/i.test(message)
        ? 'unknown'
        : 'deleted';
    },
  };
}
