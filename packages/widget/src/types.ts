import type { AccountsResponse, Connection, FlinksConnectError, GetToken } from '@flinkit/core';

/** The languages the widget and Flinks Connect speak. */
export type WidgetLanguage = 'en' | 'fr';

/** Options of `mount(element, options)`; auto-mount builds them from data attributes. */
export interface WidgetOptions {
  /** Base URL of the flinkit proxy (routes live under `/v1`), absolute or relative to the page. */
  proxyUrl: string;
  /** Returns the end user's bearer token for the proxy; wins over `tokenUrl`. */
  getToken?: GetToken | undefined;
  /** A same-site URL that answers `GET` with `{ "token": "…" }` or the bare token (cookies sent). */
  tokenUrl?: string | undefined;
  /** UI and Connect language; default from `<html lang>`, else `en`. */
  language?: WidgetLanguage | undefined;
  /** CSP nonce for the one `<style>` element the widget injects. */
  nonce?: string | undefined;
  /** Correlation string Flinks echoes in events, redirects and webhooks. */
  tag?: string | undefined;
  /** Flinks Connect parameters to ask for (`consentEnable`, …); the proxy keeps only those it allows. */
  params?: Record<string, string | boolean> | undefined;
  /** Fetch implementation for the proxy and `tokenUrl`; default the global `fetch`. */
  fetch?: typeof fetch | undefined;
}

/** Detail of `flinkit:complete`: the finished connection and, when they could be read, its accounts. */
export interface CompleteDetail {
  connection: Connection;
  accounts: AccountsResponse | null;
}

/** `detail` of each `CustomEvent` the widget dispatches on its host element, by short name. */
export interface WidgetEventMap {
  /** The Connect iframe is on screen (a fresh Connect session). */
  ready: Record<string, never>;
  /** The customer linked a bank login in Connect. */
  linked: { loginId: string; institution: string | null };
  /** The proxy reported a retrieval status change (attempt, nextPollAt, …). */
  progress: Connection;
  /** The accounts are stored on the proxy. */
  complete: CompleteDetail;
  /** Something failed; `recoverable` says whether the retry button can help. */
  error: FlinksConnectError;
}

/** Short event names, e.g. `linked` for the DOM event `flinkit:linked`. */
export type WidgetEventType = keyof WidgetEventMap;

/** What `mount` returns. */
export interface WidgetHandle {
  /** Removes the widget, its listeners, timers, streams and nodes (idempotent). */
  destroy(): void;
  /** Listens to one widget event; returns the function that stops listening. */
  on<K extends WidgetEventType>(type: K, listener: (detail: WidgetEventMap[K]) => void): () => void;
}
