import type { ConnectEvent } from './connect-message';
import type { AccountsResponse, Connection, CreateSessionRequest, ErrorInfo } from './wire';

/**
 * Public types of `createFlinksConnect`: the contract `@flinkit/react` and `@flinkit/widget`
 * build on. Implementations live beside this file.
 */

/**
 * Where the whole flow stands, as one value a UI can switch on.
 *
 * `idle` → `start()` → `loading` (asking the proxy for a Connect session) → `ready` (the iframe
 * URL is known; render it) → `linking` (the iframe reported its first step) → `linked` (REDIRECT
 * gave a loginId) → `retrieving` (the proxy accepted the connection and retrieves) → `complete`
 * (accounts stored) | `error` (see `error`) | `closed` (the user closed Connect).
 */
export type FlinksConnectStatus =
  | 'idle'
  | 'loading'
  | 'ready'
  | 'linking'
  | 'linked'
  | 'retrieving'
  | 'complete'
  | 'error'
  | 'closed';

/** An error in the flow, from the iframe, the proxy or the network. */
export interface FlinksConnectError extends ErrorInfo {
  /** HTTP status when the proxy answered with an error. */
  status?: number;
}

/** Parameters of the Connect session the site asks the proxy for (the server filters them). */
export type ConnectSessionOptions = CreateSessionRequest;

/** The minimal `EventSource` surface the core uses, so tests and other runtimes can inject one. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  removeEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

/** Timers the core uses; inject fakes in tests instead of mocking globals. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

/** Where `message` events come from (normally `window`). */
export interface MessageSource {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** Returns the bearer token that authenticates the end user to the proxy (or null for cookies). */
export type GetToken = () => string | null | undefined | Promise<string | null | undefined>;

/** Everything a UI renders, in one immutable snapshot. */
export interface FlinksConnectState {
  status: FlinksConnectStatus;
  /** The iframe `src` of the current Connect session (fresh authorize token); null before `ready`. */
  url: string | null;
  /** Raw `step` of the last valid iframe event (`APP_MOUNTED`, `REDIRECT`, …). */
  step: string | null;
  loginId: string | null;
  institution: string | null;
  requestId: string | null;
  tag: string | null;
  /** The accounts the customer chose in Connect's account selector (REDIRECT); empty without one. */
  accountIds: string[];
  /** The proxy's view of the retrieval once the loginId was handed over. */
  connection: Connection | null;
  /**
   * With the `fetchAccounts` option: the accounts, read once the retrieval is ready and before
   * `complete`; null before, without the option, or when they could not be read.
   */
  accounts: AccountsResponse | null;
  error: FlinksConnectError | null;
  /** Recent valid iframe events, oldest first, at most 50. */
  events: ConnectEvent[];
}

/** Callbacks; adapters swap them with `setCallbacks` so the latest ones are always called. */
export interface FlinksConnectCallbacks {
  /** Every valid iframe event, in order. */
  onEvent?: ((event: ConnectEvent) => void) | undefined;
  /** The iframe reported a successful link (REDIRECT). */
  onLinked?: ((result: { loginId: string; institution: string | null }) => void) | undefined;
  /** Each retrieval status change the proxy reports (attempt, nextPollAt, …). */
  onProgress?: ((connection: Connection) => void) | undefined;
  /**
   * The proxy stored the accounts: `connection.status === 'ready'`. `accounts` is
   * `state.accounts` (read with the `fetchAccounts` option, otherwise null).
   */
  onComplete?: ((connection: Connection, accounts: AccountsResponse | null) => void) | undefined;
  onError?: ((error: FlinksConnectError) => void) | undefined;
}

export interface FlinksConnectOptions extends FlinksConnectCallbacks {
  /** Base URL of the flinkit proxy, e.g. `https://api.example.com` (routes live under `/v1`). */
  proxyUrl: string;
  /** How the end user authenticates to the proxy (a short-lived bearer token). */
  getToken?: GetToken | undefined;
  /** Connect parameters to ask for; the server keeps only those it allows. */
  session?: ConnectSessionOptions | undefined;
  /**
   * Read the accounts (`GET /v1/connections/:id/accounts?view=…`) when the retrieval is ready,
   * so that `complete` arrives with them in `state.accounts` (null if they could not be read:
   * the flow still completes). `full` only where the proxy allows it. Default: not read.
   */
  fetchAccounts?: 'summary' | 'full' | undefined;
  fetch?: typeof fetch | undefined;
  eventSource?: EventSourceFactory | undefined;
  timers?: Timers | undefined;
  /** Where iframe messages arrive; defaults to `window` (looked up lazily, never at import). */
  messageSource?: MessageSource | undefined;
}

/** The flow as an object: a store to read and subscribe to, and the actions that drive it. */
export interface FlinksConnect {
  getState(): FlinksConnectState;
  subscribe(
    listener: (state: FlinksConnectState, previous: FlinksConnectState) => void,
  ): () => void;
  /** Mints a fresh Connect session (authorize token) and moves to `ready` with its `url`. */
  start(): Promise<void>;
  /** Listens to this iframe only (exact origin of `url` and `event.source`); null detaches. */
  attach(iframe: HTMLIFrameElement | null): void;
  /** After an error: refreshes a recoverable retrieval, otherwise starts a new session. */
  retry(): Promise<void>;
  /** Back to `idle`, forgetting the session, link and connection. */
  reset(): void;
  /** Removes every listener, stream and timer; the object is unusable afterwards. */
  destroy(): void;
  /** Replaces the callbacks without touching the flow (latest-ref for framework adapters). */
  setCallbacks(callbacks: FlinksConnectCallbacks): void;
}
