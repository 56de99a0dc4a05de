import type { Connection } from '@flinkit/core/wire';
import type { EncryptionKey } from '../base/crypto';
import type { AccountsDetailEvent } from '../base/forward-webhook';
import type { Logger } from '../base/logger';
import type { FlinksCredentials, UpstreamCallMetric } from '../flinks/client';
import type { CoordinationStore, Store } from '../store/store';

/**
 * The seam between the retrieval engine (engine, store, Flinks client) and the HTTP layer
 * (routes, identity, SSE, webhook intake, CLI). The HTTP layer talks to the engine only
 * through this interface.
 */

/**
 * Delivers a completion to the host app: the embedded `onAccountsDetail` hook or the signed
 * forward webhook. Throwing (or rejecting) means "not delivered": the engine's durable outbox
 * retries with backoff, across restarts, until it resolves.
 */
export type Deliver = (
  event: AccountsDetailEvent,
  /** Aborted when the engine stops: give up (the delivery is retried later). */
  options?: { signal: AbortSignal },
) => Promise<void>;

/** Result of handing a Flinks webhook body to the engine. */
export type WebhookOutcome =
  /** It completed a retrieval that was still running. */
  | 'completed'
  /** It matched a retrieval that had already completed: nothing changed. */
  | 'duplicate'
  /** No retrieval matches its RequestId, loginId or tag. */
  | 'unmatched'
  /** Not a GetAccountsDetail payload (e.g. KYC): acknowledged, not used. */
  | 'ignored';

/** Input of {@link RetrievalEngine.createConnection}: what the browser's REDIRECT gave. */
export interface CreateConnectionInput {
  userId: string;
  loginId: string;
  /**
   * Accepted and ignored, like `requestId`: the institution a connection shows is the one
   * Flinks names in its Authorize and GetAccountsDetail answers, never the browser's claim.
   */
  institution?: string | undefined;
  requestId?: string | undefined;
  tag?: string | undefined;
  /**
   * The accounts the customer chose in Connect's account selector: kept with the connection
   * (the latest link wins), sent as `AccountsFilter` on every retrieval, and applied to every
   * payload before it is stored. Absent or empty: every account.
   */
  accountIds?: readonly string[] | undefined;
}

export interface RetrievalEngine {
  /**
   * The connection for (userId, loginId), created if new. A retrieval is started when the
   * connection is new or its latest retrieval is terminal; while one runs, the same
   * connection comes back and nothing new starts (`created: false`).
   */
  createConnection(
    input: CreateConnectionInput,
  ): Promise<{ connection: Connection; created: boolean }>;
  /** Starts a new retrieval with the stored loginId; null when not found or not the user's. */
  refresh(userId: string, connectionId: string): Promise<Connection | null>;
  /** Null when not found or not the user's (callers answer 404 either way). */
  getConnection(userId: string, connectionId: string): Promise<Connection | null>;
  listConnections(userId: string): Promise<Connection[]>;
  /** Forgets the loginId and payloads; calls DeleteCard upstream when asked. False if not found. */
  deleteConnection(
    userId: string,
    connectionId: string,
    options?: { deleteUpstream?: boolean },
  ): Promise<boolean>;
  /** The latest stored GetAccountsDetail payload (decrypted); null if none or expired. */
  getPayload(
    userId: string,
    connectionId: string,
  ): Promise<{ payload: Record<string, unknown>; retrievedAt: string } | null>;
  /** A verified Flinks webhook body (already parsed JSON). Completion happens once. */
  ingestWebhook(body: unknown): Promise<WebhookOutcome>;
  /**
   * Calls `listener` with the connection after each status change of `connectionId` made by
   * this process (and, on PostgreSQL, by any instance). Returns the unsubscribe function.
   */
  subscribe(connectionId: string, listener: (connection: Connection) => void): () => void;
  /**
   * Mints a single-use Flinks authorize token (GenerateAuthorizeToken with the secret key),
   * through the engine's Flinks client: for `POST /v1/connect/sessions`.
   */
  mintAuthorizeToken(): Promise<string>;
  /**
   * The engine's database as a place for rate-limit windows and SSE tickets, present when
   * several instances may share it (PostgreSQL). `createFlinkitApp` keeps its limits and tickets
   * there when it is present, in memory otherwise.
   */
  coordination?: CoordinationStore;
  /** Counts by status, for `/metrics`. */
  countByStatus(): Promise<Record<string, number>>;
  /** True when the store answers (for `/readyz`). */
  isReady(): Promise<boolean>;
  /** Starts claiming due retrievals and deliveries. */
  start(): void;
  /**
   * Stops claiming, finishes the steps in flight, abandons held GetAccountsDetail calls (their
   * retrievals go on with GetAccountsDetailAsync wherever they are claimed next) and releases
   * leases.
   */
  stop(): Promise<void>;
}

/** Options of `createEngine(options): Promise<RetrievalEngine>` (exported from `./engine`). */
export interface EngineOptions {
  flinks: FlinksCredentials;
  /** `sqlite:` path (default `./.flinkit/flinkit.db`) or a `postgres://` URL (several instances). */
  databaseUrl?: string;
  encryptionKeys: EncryptionKey[];
  /** Default 10 000. */
  pollIntervalMs?: number;
  /** Default 1 800 000 (30 min). */
  pollTimeoutMs?: number;
  /** GetAccountsDetail options; defaults: identity, KYC and transactions on, `Days90`. */
  detail?: {
    withAccountIdentity?: boolean;
    withKyc?: boolean;
    withTransactions?: boolean;
    daysOfTransactions?: 'Days90' | 'Days365';
  };
  /** How long payloads are kept, default 30 days. */
  payloadRetentionMs?: number;
  /** Called once per completion through the durable outbox; omit to store only. */
  deliver?: Deliver;
  logger?: Logger;
  /** Unique per process; default a random id. Used as the lease owner. */
  instanceId?: string;
  /** How long a claim is held before another worker may take it over; default 30 000. */
  leaseMs?: number;
  onUpstreamCall?: (metric: UpstreamCallMetric) => void;
  /** Injectable clock for tests; default `Date.now`. */
  now?: () => number;
  /** Use this store instead of opening `databaseUrl` (the engine then does not close it). */
  store?: Store;
  /**
   * Most retrieval steps in flight at once; default 256. A step mostly waits on Flinks, so this
   * bounds upstream calls at once, not CPU (held GetAccountsDetail calls wait beside them, see
   * `maxHeldRequests`).
   */
  maxConcurrentSteps?: number;
  /**
   * How long the engine lets due retrievals gather before it claims them, so one claim takes
   * many: a poll runs up to this much after its `nextPollAt`. Default 20 ms.
   */
  claimBatchMs?: number;
  /**
   * Most first GetAccountsDetail calls waiting for Flinks at once, outside `maxConcurrentSteps`
   * (Flinks may hold each up to 210 s); beyond it they wait inside a step slot. Each holds one
   * upstream connection. Default 1 000.
   */
  maxHeldRequests?: number;
  /** Re-authorizations after SESSION_NONEXISTENT/SESSION_EXPIRED before `reauthorize_limit`; default 3. */
  maxReauthorizations?: number;
  /** Base of the backoff after a transient Flinks error (doubles, full jitter); default 2 000. */
  retryBaseMs?: number;
  /** First delivery retry delay (doubles per attempt); default 1 000. */
  deliveryRetryBaseMs?: number;
  /** Longest delay between delivery retries; default 600 000 (10 min). */
  deliveryRetryMaxMs?: number;
  /** How often expired payloads are swept; default 3 600 000 (1 h). */
  sweepIntervalMs?: number;
  /** In [0, 1), for backoff jitter; default `Math.random`. */
  random?: () => number;
  /** A `fetch` to call Flinks with; default the engine's own keep-alive connection pool (undici). */
  fetch?: typeof fetch;
}
