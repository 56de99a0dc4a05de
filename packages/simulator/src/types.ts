import type { Clock } from './clock.js';

/** An API endpoint name as it appears in the path, e.g. `GetAccountsDetail`. */
export type EndpointName =
  | 'GenerateAuthorizeToken'
  | 'Authorize'
  | 'GetAccountsDetail'
  | 'GetAccountsDetailAsync'
  | 'DeleteCard'
  | (string & {});

/**
 * One injected failure. Rules are checked in order for every API request; all matching
 * `latency` rules add up, and the first matching other rule decides the answer.
 */
export interface FaultRule {
  /** Endpoint name (`Authorize`, `GetAccountsDetailAsync`, …); all endpoints when omitted. */
  endpoint?: string;
  /** Probability 0..1 that a matching request is hit (seeded PRNG); default 1. */
  rate?: number;
  /** Hit at most this many requests; unlimited when omitted. */
  times?: number;
  /**
   * - `latency`: wait `latencyMs` (default 500) of real time before answering;
   * - `status`: answer `status` (default 503) with a Flinks-like error body;
   * - `reset`: destroy the socket without answering (msw: a network error);
   * - `malformed`: 200 with a truncated JSON body;
   * - `rate-limit`: 429 `TOO_MANY_REQUESTS` with `Retry-After: retryAfterSeconds` (default 1).
   */
  kind: 'latency' | 'status' | 'reset' | 'malformed' | 'rate-limit';
  status?: number;
  latencyMs?: number;
  retryAfterSeconds?: number;
}

/** Where the simulator posts GetAccountsDetail webhooks, and how. */
export interface WebhookOptions {
  url: string;
  /** HMAC secret; without it the webhook is sent unsigned. */
  secret?: string;
  /** Attempts in total (first + retries) until a 200; default 10. */
  attempts?: number;
  /** Clock time between attempts; default 30 min. */
  spacingMs?: number;
  /**
   * Signature header; default `flinks-authenticity-key` (apps/docs/flinks.md#webhooks lists both).
   */
  header?: 'flinks-authenticity-key' | 'X-Flinks-Signature';
}

/** Options of {@link startSimulator} and `createFlinksHandlers`. Every field is optional. */
export interface SimulatorOptions {
  /** 0 (default) picks a free port; the host is always 127.0.0.1. */
  port?: number;
  /** Default: the Toolbox customerId `43387ca6-0391-4c82-857d-70d95f087ecb`. */
  customerId?: string;
  /** Default: the Toolbox secret key `c4569c54-e167-4d34-8de6-f4113bc82414`. */
  secretKey?: string;
  /** Default: the Toolbox x-api-key `3d5266a8-b697-48d4-8de6-52e2e2662acc`. */
  apiKey?: string;
  /** Decides token/RequestId expiry, processing and webhook times; default real time. */
  clock?: Clock;
  /** Real milliseconds added to every API answer; default 0. */
  latencyMs?: number;
  faults?: FaultRule[];
  /** Clock ms from Authorize until GetAccountsDetail(Async) answers 200; default 2000. */
  processingMs?: number;
  /**
   * Clock ms a `POST /GetAccountsDetail` is held open before it answers (Flinks may hold it up
   * to 210 s); default 0. After the hold it answers 200 when processing is done by then, else
   * 202 `holdAnswer`. Capped at `syncWindowMs`. `createLogin(…, { holdDetailMs })` sets it per login.
   */
  holdDetailMs?: number;
  /** FlinksCode of the 202 after a hold that ends before processing; default `OPERATION_DISPATCHED`. */
  holdAnswer?: 'OPERATION_DISPATCHED' | 'OPERATION_PENDING';
  /**
   * Flinks' synchronous window: the longest hold, and how long `test_dispatched`'s first
   * GetAccountsDetail is held before 202 `OPERATION_DISPATCHED`; default 210 000.
   */
  syncWindowMs?: number;
  /**
   * Authorize token lifetime; default 30 min (Flinks also says 15 min:
   * apps/docs/flinks.md#uncertain-points).
   */
  tokenTtlMs?: number;
  /** RequestId lifetime from its Authorize; default 30 min. */
  requestIdTtlMs?: number;
  /**
   * A RequestId with no data call this long after its Authorize (or MFA answer) expires; default
   * 8 min, as documented; `null` turns it off. Once data calls began, only `requestIdTtlMs` applies.
   */
  requestIdIdleMs?: number | null;
  /**
   * REDIRECT message shape posted by the iframe; default `url` (the documented
   * `{step, institution, url: '…?loginId=…&institution=…'}`), or `loginId` (top-level fields).
   */
  redirectShape?: 'loginId' | 'url';
  /**
   * DeleteCard of a loginId Flinks does not know: `message` (default) answers 200 with
   * "Invalid LoginId" in `Message` (as a public client expects), `INVALID_LOGIN` an error.
   */
  deleteCardUnknown?: 'message' | 'INVALID_LOGIN';
  /**
   * HTTP status of `INVALID_LOGIN` (apps/docs/flinks.md#errors-and-flinkscodes: 401, old help 400);
   * default 401.
   */
  invalidLoginStatus?: 400 | 401;
  /** HTTP status of `INVALID_REQUEST` (401 or 400); default 400. */
  invalidRequestStatus?: 400 | 401;
  /** Seed of the data generator, ids and fault rates; default 1. */
  seed?: number;
  webhook?: WebhookOptions;
}

/** One API request as the simulator saw it, in arrival order. */
export interface RequestLogEntry {
  /** Clock time (ms) of arrival. */
  at: number;
  method: string;
  endpoint: EndpointName;
  requestId: string | null;
  loginId: string | null;
  /** HTTP status answered; 0 when the connection was reset. */
  status: number;
  flinksCode: string | null;
  /** The injected fault, when one decided the answer. */
  fault?: FaultRule['kind'];
  /** Clock ms the request was held before its answer (GetAccountsDetail holds). */
  heldMs?: number;
}

/** Options of `createLogin(username, options)`. */
export interface LoginOptions {
  /** Default `FlinksCapital`. */
  institution?: string;
  /** Holds this login's GetAccountsDetail POSTs this long (clock ms); overrides `holdDetailMs`. */
  holdDetailMs?: number;
  /**
   * Marks its last refresh at the bank as failed with this FlinksCode (e.g. `QUESTION_NOT_FOUND`):
   * a cached Authorize then answers 401 with that code and a RequestId that reads the cached
   * data. A live Authorize left at its MFA challenge does the same; a successful refresh clears it.
   */
  lastRefreshError?: string | null;
}

/** A request the simulator is holding open right now (a GetAccountsDetail hold). */
export interface HeldRequest {
  /** Clock time (ms) of arrival. */
  at: number;
  endpoint: EndpointName;
  requestId: string;
  loginId: string;
  /** Clock time (ms) at which it will answer. */
  until: number;
}
