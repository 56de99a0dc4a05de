import type { CreateSessionRequest, ErrorInfo } from './wire';

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
