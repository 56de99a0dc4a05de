import type { ConnectionStatus, ErrorInfo } from '@flinkit/core/wire';

/**
 * The durable state of the proxy behind one interface, so the SQLite engine (default) and the
 * PostgreSQL engine share the engine code. Times are epoch ms, ids are text, JSON is text.
 * Every method that changes a retrieval's visible state bumps its connection's `version` in
 * the same transaction and returns the fresh pair, so the caller can emit the change.
 */
export interface Store
  extends ConnectionStore,
    RetrievalStore,
    OutboxStore,
    CoordinationStore,
    KeyUsageStore {
  /**
   * Cross-instance status hints, present when several processes may share the database
   * (PostgreSQL LISTEN/NOTIFY). Absent on SQLite.
   */
  changes?: ChangeFeed;
  /**
   * Commits made by other processes on the same database file (SQLite: `flinkit retrieve` or a
   * second server beside `flinkit serve`), noticed by polling; absent when `changes` is present.
   */
  externalWrites?: ExternalWrites;
  /** Deletes expired tickets and rate-limit windows that started before `staleBefore`. */
  sweepCoordination(now: number, staleBefore: number): Promise<void>;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Connections: one per (user, loginId), each pointing at its latest retrieval. */
export interface ConnectionStore {
  /** Finds or creates the connection for (userId, loginId hash) and starts a retrieval unless one runs. */
  createConnection(input: NewConnection): Promise<RetrievalStart>;
  /** Starts a retrieval for a connection unless one runs; null when the connection is gone. */
  startRetrieval(
    connectionId: string,
    retrieval: NewRetrieval,
    now: number,
  ): Promise<RetrievalStart | null>;
  getConnection(connectionId: string): Promise<ConnectionState | null>;
  /** The user's connections (not deleted), newest first. */
  listConnections(userId: string): Promise<ConnectionState[]>;
  /** Connections (not deleted) whose loginId hash is one of `hashes`, any user. */
  findConnectionsByLoginHash(hashes: readonly string[]): Promise<ConnectionRow[]>;
  /** Forgets the loginId and payloads, fails a running retrieval, cancels deliveries. */
  deleteConnection(connectionId: string, now: number): Promise<boolean>;
}

/** Retrievals (apps/docs/architecture.md#retrieval-engine): leased, stepped and completed once. */
export interface RetrievalStore {
  /** Atomically leases up to `limit` due retrievals (unleased or lease expired) to `owner`. */
  claimRetrievals(
    owner: string,
    now: number,
    limit: number,
    leaseMs: number,
  ): Promise<RetrievalRow[]>;
  /** Extends a lease still held by `owner`; false when it was lost. */
  renewRetrieval(id: string, owner: string, leaseUntil: number): Promise<boolean>;
  /** Drops `owner`'s lease without other changes. */
  releaseRetrieval(id: string, owner: string): Promise<void>;
  /**
   * Writes a step's outcome and releases the lease (unless `keepLease`) — only if `owner` still holds it and the
   * retrieval is not terminal. Null when nothing was written (lost lease or already done).
   */
  updateRetrieval(
    id: string,
    owner: string,
    patch: RetrievalPatch,
    now: number,
    options?: { keepLease?: boolean },
  ): Promise<ConnectionState | null>;
  /**
   * The single completion: `state = 'ready'` only if not terminal yet, and in the same
   * transaction the payload and (when `deliveryId` is given) the outbox row. Null for the loser.
   */
  completeRetrieval(input: CompleteInput): Promise<ConnectionState | null>;
  findRetrievalByRequestId(requestId: string): Promise<RetrievalRow | null>;
  getRetrieval(id: string): Promise<RetrievalRow | null>;
  /** Earliest `nextRunAt` of a non-terminal retrieval (or lease expiry when leased); null if none. */
  nextRetrievalDueAt(): Promise<number | null>;
  countByStatus(): Promise<Record<string, number>>;
}

/** Stored payloads and their durable deliveries to the host app. */
export interface OutboxStore {
  /** The newest unexpired payload of a connection. */
  getLatestPayload(connectionId: string, now: number): Promise<PayloadRow | null>;
  getPayload(retrievalId: string): Promise<PayloadRow | null>;
  /** Deletes expired payloads; returns how many. */
  sweepPayloads(now: number): Promise<number>;

  claimDeliveries(owner: string, now: number, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  markDelivered(id: string, owner: string, now: number): Promise<void>;
  /** Extends a delivery lease still held by `owner`. */
  renewDelivery(id: string, owner: string, leaseUntil: number): Promise<boolean>;
  /** Records a failed attempt and when to try again (null: never); releases the lease. */
  failDelivery(
    id: string,
    owner: string,
    error: string,
    nextAttemptAt: number | null,
  ): Promise<void>;
  nextDeliveryDueAt(): Promise<number | null>;
}

/**
 * Rate-limit windows and SSE tickets in the database: what the HTTP layer keeps there when
 * several instances share it.
 */
export interface CoordinationStore {
  /**
   * Counts one attempt for `key` in its fixed window of `windowMs` (a new window starts when
   * the last one is over) and returns the window's start and its count including this one.
   * Atomic, so instances sharing the database share the limit.
   */
  consumeRateLimit(key: string, windowMs: number, now: number): Promise<RateLimitWindow>;
  /** Stores a new SSE ticket (only its hash). */
  insertTicket(ticket: TicketRow): Promise<void>;
  /** Deletes and returns a ticket: the first taker gets it, whatever its expiry. */
  takeTicket(ticketHash: string): Promise<TicketRow | null>;
}

/** Which encryption keys the stored values need. */
export interface KeyUsageStore {
  /**
   * Stored loginIds and payloads encrypted under none of `knownKeyIds`, counted by the key id
   * they name: what a keyring missing a key can no longer read.
   */
  unreadableByKey(knownKeyIds: readonly string[]): Promise<KeyUsage[]>;
}

/** Values encrypted under one key id. */
export interface KeyUsage {
  keyId: string;
  connections: number;
  payloads: number;
}

/** A fixed rate-limit window. */
export interface RateLimitWindow {
  windowStart: number;
  count: number;
}

/** A stored SSE ticket: the SHA-256 of the ticket, never the ticket itself. */
export interface TicketRow {
  ticketHash: string;
  userId: string;
  connectionId: string;
  expiresAt: number;
}

/** Handlers of {@link ChangeFeed.listen}. */
export interface ChangeHandlers {
  /** Another instance (or this one) committed a change of `connectionId` at `version`. */
  onChange(connectionId: string, version: number): void;
  /** Notifications may have been missed (the listening connection dropped and came back). */
  onGap(): void;
}

/** "Another process committed something": the caller re-reads what it watches. */
export interface ExternalWrites {
  /** Calls `onWrite` after another process commits; returns the stop function. */
  listen(onWrite: () => void): () => void;
}

/** "Connection X changed" hints between instances; the row stays the truth. */
export interface ChangeFeed {
  /** Tells every listening instance that `connectionId` reached `version` (after the commit). */
  publish(connectionId: string, version: number): Promise<void>;
  /** Listens on one dedicated connection, reconnecting when it drops. Returns the stop function. */
  listen(handlers: ChangeHandlers): () => void;
}

/** A stored connection. `loginIdEnc`/`loginIdHash` are null once deleted. */
export interface ConnectionRow {
  id: string;
  userId: string;
  tag: string | null;
  /** JSON array of the account ids the customer chose in Connect; null = every account. */
  accountIds: string | null;
  loginIdEnc: string | null;
  loginIdHash: string | null;
  latestRetrievalId: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

/**
 * One retrieval: the truth of apps/docs/architecture.md#retrieval-engine. `nextRunAt` is null once
 * terminal.
 */
export interface RetrievalRow {
  id: string;
  connectionId: string;
  state: ConnectionStatus;
  requestId: string | null;
  attempt: number;
  reauthorizations: number;
  /** Consecutive transient failures, for the backoff. */
  failures: number;
  nextRunAt: number | null;
  deadlineAt: number;
  startedAt: number;
  completedAt: number | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  /** JSON of an `ErrorInfo`. */
  lastError: string | null;
  /**
   * When the first GetAccountsDetail of this RequestId was sent (written before sending): once
   * set, the retrieval polls GetAccountsDetailAsync and never POSTs again for this RequestId.
   */
  detailRequestedAt: number | null;
  /** `Login.LastRefresh` of the latest Flinks answer, as ISO-8601 UTC; null until seen. */
  lastRefresh: string | null;
  /** JSON of an `ErrorInfo` (`reconnect_required`) when the data is a stale cached copy. */
  stale: string | null;
  /** The institution Flinks' latest answer named (`Institution`); null until one did. */
  institution: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A connection with its latest retrieval. */
export interface ConnectionState {
  connection: ConnectionRow;
  retrieval: RetrievalRow;
}

/** A stored, encrypted GetAccountsDetail payload. */
export interface PayloadRow {
  retrievalId: string;
  connectionId: string;
  dataEnc: string;
  createdAt: number;
  expiresAt: number;
}

/** One durable delivery to the host app. */
export interface OutboxRow {
  id: string;
  kind: string;
  retrievalId: string;
  connectionId: string;
  userId: string;
  attempts: number;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  lastError: string | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  createdAt: number;
}

/** The fields of a new retrieval. */
export interface NewRetrieval {
  id: string;
  deadlineAt: number;
}

/** Input of {@link ConnectionStore.createConnection}. */
export interface NewConnection {
  connectionId: string;
  userId: string;
  loginIdEnc: string;
  /** The hash under the current key first, then under older keys. */
  loginIdHashes: readonly string[];
  tag: string | null;
  /** The account selection; it replaces the stored one. Absent or empty = every account. */
  accountIds?: readonly string[] | null;
  retrieval: NewRetrieval;
  now: number;
}

/** What {@link ConnectionStore.createConnection} and {@link ConnectionStore.startRetrieval} did. */
export interface RetrievalStart extends ConnectionState {
  /** True when the connection row is new. */
  created: boolean;
  /** True when a new retrieval was started. */
  started: boolean;
}

/** The fields a step may change. */
export interface RetrievalPatch {
  state?: ConnectionStatus;
  requestId?: string | null;
  attempt?: number;
  reauthorizations?: number;
  failures?: number;
  nextRunAt?: number | null;
  completedAt?: number | null;
  lastError?: ErrorInfo | null;
  detailRequestedAt?: number | null;
  lastRefresh?: string | null;
  stale?: ErrorInfo | null;
  institution?: string | null;
}

/** Input of {@link RetrievalStore.completeRetrieval}. */
export interface CompleteInput {
  retrievalId: string;
  payloadEnc: string;
  expiresAt: number;
  now: number;
  /** Counts the call that brought the payload, when it came from a poll. */
  attempt?: number;
  /** The payload's `Login.LastRefresh` (ISO-8601), when it has one. */
  lastRefresh?: string;
  /** The institution the payload names, when it names one. */
  institution?: string;
  /** Creates the outbox row with this id; omit when nothing is delivered. */
  deliveryId?: string;
}

/** The statuses after which a retrieval never changes. */
export const TERMINAL_STATES: readonly ConnectionStatus[] = ['ready', 'failed', 'timed_out'];
