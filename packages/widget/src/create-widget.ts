import type {
  AccountsResponse,
  FlinksConnect,
  FlinksConnectOptions,
  ProxyClient,
  ProxyClientOptions,
} from '@flinkit/core';
import { resolveLanguage, resolveUrl, tokenFromUrl } from './config.js';
import { WidgetError } from './errors.js';
import type { AccountsState } from './status-panel.js';
import { acquireStylesheet } from './styles.js';
import type { WidgetEventMap, WidgetEventType, WidgetHandle, WidgetOptions } from './types.js';
import { createView } from './widget.js';

/** The `@flinkit/core` factories the widget runs on (injectable for tests). */
export interface WidgetFactories {
  createConnect(options: FlinksConnectOptions): FlinksConnect;
  createClient(options: ProxyClientOptions): Pick<ProxyClient, 'getAccounts'>;
}

// Per element, not per module: works across two copies of the script on one page.
const HANDLE = Symbol.for('flinkit.widget');
type HostElement = HTMLElement & { [HANDLE]?: WidgetHandle };

/** The widget mounted on `element`, or null. */
export function getWidget(element: Element): WidgetHandle | null {
  return (element as HostElement)[HANDLE] ?? null;
}

/** `mount` with the core factories passed in. */
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

  let accounts: AccountsState;
  const client = factories.createClient({ baseUrl: proxyUrl, getToken, fetch: fetchOwned });
  const connect = factories.createConnect({
    proxyUrl,
    getToken,
    fetch: fetchOwned,
    session: { language, ...(tag && { tag }), ...(params && { params }) },
    onLinked: (result) => dispatch('linked', result),
    onProgress: (connection) => dispatch('progress', connection),
    onComplete: (connection) => {
      const done = (response: AccountsResponse | null) => {
        accounts = response;
        update();
        dispatch('complete', { connection, accounts: response });
      };
      client.getAccounts(connection.id, 'summary').then(done, () => done(null));
    },
    onError: (error) => dispatch('error', error),
  });

  const releaseStyle = acquireStylesheet(document, options.nonce);
  // `flinkit:ready` once the iframe is in the page (and the core listens to it), not before.
  const view = createView(document, language, {
    attach(iframe) {
      connect.attach(iframe);
      if (iframe) dispatch('ready', {});
    },
    onAction: () =>
      (connect.getState().status === 'closed' ? connect.start() : connect.retry()).catch(ignore),
  });
  const container = host.appendChild(document.createElement('div'));
  container.append(view.root);
  let ticker: ReturnType<typeof setTimeout> | undefined;
  // Renders on every change of the flow (and of the accounts), and once a second while the
  // countdown to the next poll shows.
  const update = () => {
    if (signal.aborted) return;
    const state = connect.getState();
    view.render({ state, accounts, now: Date.now() });
    clearTimeout(ticker);
    if (state.status === 'retrieving' && state.connection?.nextPollAt) {
      ticker = setTimeout(update, 1000);
    }
  };
  const unsubscribe = connect.subscribe(update);
  update();

  const handle: WidgetHandle = {
    destroy() {
      if (signal.aborted) return;
      abort.abort();
      clearTimeout(ticker);
      unsubscribe();
      container.remove();
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
  // Failures land in the state (the error panel) and in `flinkit:error`.
  connect.start().catch(ignore);
  return handle;
}

// The core reports failures through its state and `onError`; the promise adds nothing.
function ignore(): void {}
