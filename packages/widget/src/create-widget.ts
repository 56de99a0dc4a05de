import type { FlinksConnect, FlinksConnectOptions } from '@flinkit/core';
import { h, render } from 'preact';
import { parseChoice, resolveLanguage, resolveUrl, tokenFromUrl } from './config.js';
import { WidgetError } from './errors.js';
import { getStrings } from './strings.js';
import { acquireStylesheet, LOCK_CLASS } from './styles.js';
import type {
  WidgetEventMap,
  WidgetEventType,
  WidgetHandle,
  WidgetMode,
  WidgetOptions,
  WidgetTheme,
} from './types.js';
import { View } from './view.js';

/** The `@flinkit/core` factory the widget runs on (injectable for tests). */
export interface WidgetFactories {
  createConnect(options: FlinksConnectOptions): FlinksConnect;
}

// Per element, not per module: works across two copies of the script on one page.
const HANDLE = Symbol.for('flinkit.widget');
type HostElement = HTMLElement & { [HANDLE]?: WidgetHandle };

// The statuses in which the customer has linked: closing the modal then is not an exit.
const LINKED = /linked|retrieving|complete/;

/** The widget mounted on `element`, or null. */
export function getWidget(element: Element): WidgetHandle | null {
  return (element as HostElement)[HANDLE] ?? null;
}

/**
 * `mount` with the core factory passed in. The flow is core's (`fetchAccounts` reads the summary
 * before `complete`); this holds the presentation: rendering, the modal, focus, DOM events.
 */
export function createWidget(
  element: Element,
  options: WidgetOptions,
  factories: WidgetFactories,
): WidgetHandle {
  const document = element?.ownerDocument;
  if (!document || element.nodeType !== 1) {
    throw new WidgetError('invalid_element', 'mount() needs an element of the page.');
  }
  const host = element as HostElement;
  if (host[HANDLE]) {
    throw new WidgetError('already_mounted', 'This element has a widget: destroy() it first.');
  }
  const language = resolveLanguage(options.language, document);
  const proxyUrl = resolveUrl(options.proxyUrl, document, 'proxyUrl');
  const modal = parseChoice<WidgetMode>('mode', options.mode, ['inline', 'modal']) === 'modal';
  const theme = parseChoice<WidgetTheme>('theme', options.theme, ['auto', 'light', 'dark']);
  const strings = getStrings(language);
  const { tokenUrl, tag, params } = options;

  // Aborted by destroy(): every request in flight and every listener added through on().
  const abort = new AbortController();
  const { signal } = abort;
  const baseFetch = options.fetch ?? fetch;
  // A request with its own signal (core's) is ended by core.destroy() instead.
  const fetchOwned: typeof fetch = (input, init) =>
    baseFetch(input, { ...init, signal: init?.signal ?? signal });
  const getToken =
    options.getToken ??
    (tokenUrl ? tokenFromUrl(resolveUrl(tokenUrl, document, 'tokenUrl'), fetchOwned) : undefined);
  const dispatch = <K extends WidgetEventType>(type: K, detail: WidgetEventMap[K]) => {
    if (!signal.aborted) {
      host.dispatchEvent(new CustomEvent(`flinkit:${type}`, { detail, bubbles: true }));
    }
  };

  const connect = factories.createConnect({
    proxyUrl,
    getToken,
    fetch: fetchOwned,
    fetchAccounts: 'summary',
    session: { language, ...(tag && { tag }), ...(params && { params }) },
    onLinked: (result) => dispatch('linked', result),
    onProgress: (connection) => dispatch('progress', connection),
    onComplete: (connection, accounts) => dispatch('complete', { connection, accounts }),
    onError: (error) => dispatch('error', error),
  });

  const releaseStyle = acquireStylesheet(document, options.nonce);
  const container = host.appendChild(document.createElement('div'));
  const titleId = `flinkit-${Math.random().toString(36).slice(2)}`;
  const root = document.documentElement;
  let open = false;
  let returnFocus: Element | null = null;
  let ticker: ReturnType<typeof setTimeout> | undefined;
  const start = () => connect.start().catch(ignore);

  const openDialog = () => {
    if (!modal || open || signal.aborted) return;
    open = true;
    returnFocus = document.activeElement;
    root.classList.add(LOCK_CLASS);
    if (connect.getState().status === 'idle') start();
    update();
  };

  const closeDialog = () => {
    if (!open) return;
    open = false;
    update();
    if (!document.querySelector('dialog.flinkit-dialog[open]')) root.classList.remove(LOCK_CLASS);
    // Back where it was (the launcher, or the page's own button that called open()); Safari
    // does not focus a clicked button, so the body means the launcher.
    const back =
      returnFocus !== document.body && returnFocus?.isConnected
        ? returnFocus
        : container.querySelector('.flinkit-launch');
    (back as HTMLElement | null)?.focus();
    const { status, step, institution, error } = connect.getState();
    if (!LINKED.test(status)) {
      dispatch('exit', { step, status, institution, error });
      // Like Plaid Link: the next open() is a new Connect session (a fresh authorize token).
      connect.reset();
    }
  };

  const props = {
    strings,
    language,
    theme,
    modal,
    titleId,
    label: options.buttonLabel || strings.launch,
    // `flinkit:ready` once the iframe is in the page (and the core listens to it), not before.
    attach(iframe: HTMLIFrameElement | null) {
      connect.attach(iframe);
      if (iframe) dispatch('ready', {});
    },
    // Retry after an error; after a close or a completion (reconnect), a new session.
    onAction: () => connect.retry().catch(ignore),
    onOpen: openDialog,
    onClose: closeDialog,
    onCancel(event: Event) {
      event.preventDefault();
      closeDialog();
    },
  };

  // Renders on every change of the flow and of the modal, and once a second while the countdown
  // to the next poll shows.
  const update = () => {
    if (signal.aborted) return;
    const state = connect.getState();
    const focused = document.activeElement;
    const hadFocus = !!focused && container.contains(focused);
    render(h(View, { ...props, state, open, now: Date.now() }), container);
    const dialog = container.querySelector('dialog');
    if (dialog && !dialog.open) {
      // The page behind becomes inert (the focus cannot leave, the iframe's included), and the
      // focus moves in: to the close button, first in the dialog.
      dialog.showModal();
      if (!dialog.contains(document.activeElement)) dialog.querySelector('button')?.focus();
    } else if (hadFocus && !container.contains(document.activeElement)) {
      // What had the focus went away (the iframe once linked, the retry button once used):
      // the status says what happens now, so a keyboard user goes on from there.
      container.querySelector<HTMLElement>('.flinkit-status')?.focus();
    }
    clearTimeout(ticker);
    if (state.status === 'retrieving' && state.connection?.nextPollAt) {
      ticker = setTimeout(update, 1000);
    }
  };
  // Connect's own close button ends the modal as the widget's does.
  const unsubscribe = connect.subscribe(({ status }) =>
    open && status === 'closed' ? closeDialog() : update(),
  );
  update();

  const handle: WidgetHandle = {
    open: openDialog,
    close: closeDialog,
    destroy() {
      if (signal.aborted) return;
      abort.abort();
      clearTimeout(ticker);
      unsubscribe();
      render(null, container);
      container.remove();
      if (!document.querySelector('dialog.flinkit-dialog[open]')) root.classList.remove(LOCK_CLASS);
      connect.destroy();
      releaseStyle();
      delete host[HANDLE];
    },
    on(type, listener) {
      const handler = (event: Event) => listener((event as CustomEvent).detail);
      host.addEventListener(`flinkit:${type}`, handler, { signal });
      return () => host.removeEventListener(`flinkit:${type}`, handler);
    },
  };
  host[HANDLE] = handle;
  // Inline, the session starts at once; a modal starts it when opened. Failures land in the
  // state (the error panel) and in `flinkit:error`.
  if (!modal) start();
  return handle;
}

// The core reports failures through its state and `onError`; the promise adds nothing.
function ignore(): void {}
