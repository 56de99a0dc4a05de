import type {
  AccountsResponse,
  Connection,
  FlinksConnectError,
  FlinksConnectStatus,
  GetToken,
} from '@flinkit/core';

/** The languages the widget and Flinks Connect speak. */
export type WidgetLanguage = 'en' | 'fr';

/** `inline` renders in the host element; `modal` renders a launch button that opens a dialog. */
export type WidgetMode = 'inline' | 'modal';

/** `auto` follows `prefers-color-scheme`; `light` and `dark` force one. */
export type WidgetTheme = 'auto' | 'light' | 'dark';

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
  /**
   * `inline` (default): the widget renders in the element and starts a Connect session at once.
   * `modal`: a launch button; the dialog opens on a click or `open()` and starts the session then.
   */
  mode?: WidgetMode | undefined;
  /** Text of the modal's launch button, also the dialog's title. Default "Link your bank account". */
  buttonLabel?: string | undefined;
  /** Colour scheme: `auto` (default) follows the system's light or dark preference. */
  theme?: WidgetTheme | undefined;
}

/** Detail of `flinkit:complete`: the finished connection and, when they could be read, its accounts. */
export interface CompleteDetail {
  connection: Connection;
  accounts: AccountsResponse | null;
}

/**
 * Detail of `flinkit:exit`: the modal was closed before the customer linked a bank, like the
 * metadata of Plaid Link's `onExit`. `step` is the last Flinks step seen (`COMPONENT_LOAD_MFA`,
 * …, null before Connect loaded), `status` where the flow stood, `error` the error on screen.
 */
export interface ExitDetail {
  step: string | null;
  status: FlinksConnectStatus;
  institution: string | null;
  error: FlinksConnectError | null;
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
  /** The modal was closed (close button, Esc, Connect's own close) before a link. */
  exit: ExitDetail;
}

/** Short event names, e.g. `linked` for the DOM event `flinkit:linked`. */
export type WidgetEventType = keyof WidgetEventMap;

/** What `mount` returns. */
export interface WidgetHandle {
  /**
   * Modal mode: opens the dialog (and starts a Connect session unless one is under way); focus
   * moves into it. Does nothing inline or when already open.
   */
  open(): void;
  /**
   * Modal mode: closes the dialog and gives the focus back. Before a link this ends the Connect
   * session and dispatches `flinkit:exit`; after it the retrieval goes on.
   */
  close(): void;
  /** Removes the widget, its listeners, timers, streams and nodes (idempotent). */
  destroy(): void;
  /** Listens to one widget event; returns the function that stops listening. */
  on<K extends WidgetEventType>(type: K, listener: (detail: WidgetEventMap[K]) => void): () => void;
}
