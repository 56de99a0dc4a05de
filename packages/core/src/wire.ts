/**
 * The proxy's HTTP API (v1) as types: the one contract between `@flinkit/core` (the browser
 * client) and `@flinkit/proxy` (the server), which imports this file type-only.
 *
 * Every field is JSON: timestamps are ISO-8601 strings in UTC.
 */

/**
 * Where a connection's latest retrieval stands on the proxy.
 *
 * - `pending`: accepted, not yet picked up by a worker.
 * - `authorizing`: minting an authorize token and calling `/Authorize` for a `RequestId`.
 * - `processing`: `/GetAccountsDetail` answered 202; the proxy polls `/GetAccountsDetailAsync`.
 * - `ready`: the accounts payload is stored (and was delivered to the host app).
 * - `failed`: a terminal error; see `error.code`, `error.flinksCode`, `error.recoverable`.
 * - `timed_out`: still pending upstream when the poll deadline passed.
 */
export type ConnectionStatus =
  | 'pending'
  | 'authorizing'
  | 'processing'
  | 'ready'
  | 'failed'
  | 'timed_out';

/** The statuses after which nothing changes until a refresh. */
export const TERMINAL_STATUSES: readonly ConnectionStatus[] = ['ready', 'failed', 'timed_out'];

/** True when a connection will not change again without `POST /v1/connections/:id/refresh`. */
export function isTerminalStatus(status: ConnectionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * Every error flinkit shows a user has this shape: a stable `code` to branch on, a `message`
 * that says what to do, and whether trying again can help.
 */
export interface ErrorInfo {
  /** Stable, snake_case (`not_found`, `rate_limited`, `flinks_error`, …). */
  code: string;
  message: string;
  /** True when the same action may succeed later (retry, refresh, re-link). */
  recoverable: boolean;
  /** The upstream FlinksCode when Flinks caused it (`DISABLED_LOGIN`, `RETRY_LATER`, …). */
  flinksCode?: string;
}

/** Body of every non-2xx answer from the proxy. */
export interface ErrorBody {
  error: ErrorInfo;
}

/**
 * A linked bank login as the browser may see it: no loginId, no Flinks identifiers, only the
 * state of its latest retrieval.
 */
export interface Connection {
  id: string;
  status: ConnectionStatus;
  /** The institution Flinks named in its answers (Authorize, GetAccountsDetail); null before. */
  institution: string | null;
  tag: string | null;
  /** Id of the latest retrieval; a refresh starts a new one. */
  retrievalId: string;
  /** Upstream calls to `/GetAccountsDetail(Async)` made by the latest retrieval so far. */
  attempt: number;
  startedAt: string;
  /** When the proxy will poll again; null unless `status` is `processing`. */
  nextPollAt: string | null;
  /** When the retrieval gives up with `timed_out`. */
  deadlineAt: string;
  completedAt: string | null;
  updatedAt: string;
  /** Grows with every status change; it is the SSE event id, so clients can skip stale copies. */
  version: number;
  error: ErrorInfo | null;
  /**
   * When Flinks last refreshed this login at the bank (`Login.LastRefresh` of its answer), once
   * a retrieval has seen it; null before.
   */
  lastRefresh: string | null;
  /**
   * Set when the accounts are Flinks' cached copy and only the customer can refresh them: a
   * cached Authorize repeated the last refresh's error (e.g. `QUESTION_NOT_FOUND` after an
   * abandoned MFA) but still gave a usable RequestId. The data is still retrieved and shown;
   * ask the customer to reconnect through Connect to refresh it. `code` is `reconnect_required`,
   * `flinksCode` the code Flinks repeated. Null otherwise.
   */
  stale: ErrorInfo | null;
}

/** `POST /v1/connect/sessions` body. Only parameters the server allows are honoured. */
export interface CreateSessionRequest {
  language?: 'en' | 'fr';
  /** Correlation string echoed by Flinks in events, redirects and webhooks. */
  tag?: string;
  /**
   * Flinks Connect parameters (apps/docs/flinks.md#query-parameters) the site wants; the server
   * drops what it does not allow.
   */
  params?: Record<string, string | boolean>;
}

/** `POST /v1/connect/sessions` answer: the iframe URL, with a fresh single-use authorize token. */
export interface CreateSessionResponse {
  url: string;
  expiresAt: string;
}

/** `POST /v1/connections` body, from the iframe's REDIRECT. */
export interface CreateConnectionRequest {
  loginId: string;
  /** What the iframe said; the proxy ignores it and shows the institution Flinks names. */
  institution?: string;
  /** What the iframe said; the proxy ignores it and always authorizes with the loginId. */
  requestId?: string;
  tag?: string;
  /**
   * The accounts the customer chose in Connect's account selector (the REDIRECT's `accountId`).
   * The proxy keeps them with the connection and retrieves only these accounts (Flinks'
   * `AccountsFilter`), on this retrieval and every refresh. Absent or empty: every account.
   */
  accountIds?: string[];
}

/** `POST /v1/connections`, `GET /v1/connections/:id`, `POST …/refresh` answer. */
export interface ConnectionResponse {
  connection: Connection;
}

/** `GET /v1/connections` answer: the caller's connections, newest first. */
export interface ConnectionListResponse {
  connections: Connection[];
}

/** `POST /v1/connections/:id/ticket` answer: a one-time credential for the SSE stream. */
export interface TicketResponse {
  ticket: string;
  expiresAt: string;
}

/** One account in the default (summary) view: nothing that would let someone move money. */
export interface AccountSummary {
  id: string;
  title: string;
  type: string | null;
  category: string | null;
  currency: string;
  /** Last digits only, e.g. `•••1238`; null when Flinks gave no number. */
  maskedNumber: string | null;
  balance: {
    available: number | null;
    current: number | null;
    limit: number | null;
  };
  transactionCount: number;
}

/** `GET /v1/connections/:id/accounts` answer. `full` only when the server is configured so. */
export type AccountsResponse =
  | {
      view: 'summary';
      connectionId: string;
      institution: string | null;
      retrievedAt: string;
      accounts: AccountSummary[];
    }
  | {
      view: 'full';
      connectionId: string;
      institution: string | null;
      retrievedAt: string;
      /** The GetAccountsDetail 200 body as Flinks sent it (PascalCase keys). */
      payload: Record<string, unknown>;
    };

/**
 * The SSE stream `GET /v1/connections/:id/events`: each message is
 * `id: <connection.version>`, `event: status`, `data: <Connection as JSON>`. A client that
 * connects gets the current status first; the server closes the stream after a terminal status.
 * Comments (`: ping`) are heartbeats.
 */
export const STATUS_EVENT = 'status';
