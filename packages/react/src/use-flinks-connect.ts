import {
  createFlinksConnect,
  type FlinksConnect,
  type FlinksConnectOptions,
  type FlinksConnectState,
  IFRAME_SANDBOX,
  initialState,
  isLinkable,
} from '@flinkit/core';
import {
  type RefObject,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';

/** The iframe's accessible name unless `title` says otherwise. */
export const DEFAULT_IFRAME_TITLE = 'Connect your bank account';

/**
 * The Connect iframe's `sandbox`: `@flinkit/core`'s, the same as the widget's. Connect runs, and
 * opens the bank's OAuth popup; it never navigates your page.
 */
export { IFRAME_SANDBOX };

/**
 * Options of {@link useFlinksConnect}: those of `createFlinksConnect` plus `autoStart` and
 * `title`. `proxyUrl`, `session` and the injectables are read once, when the component mounts;
 * to change them, remount (e.g. with a React `key`). `getToken` and the callbacks may change on
 * every render: the latest ones are always called and the iframe is never recreated (whether
 * `getToken` is given at all is decided at mount).
 */
export interface UseFlinksConnectOptions extends FlinksConnectOptions {
  /** Ask the proxy for a Connect session as soon as the component mounts. Default `true`. */
  autoStart?: boolean | undefined;
  /** Accessible title of the iframe. Default `"Connect your bank account"`. */
  title?: string | undefined;
}

/** Spread onto an `<iframe>`: `<iframe {...iframeProps} />`. */
export interface FlinksConnectIframeProps {
  /** The Connect session URL; `undefined` until the session is ready. */
  src: string | undefined;
  title: string;
  /** Attaches the store to this iframe: only its messages, from its origin, are accepted. */
  ref: (iframe: HTMLIFrameElement | null) => void;
  sandbox: string;
}

/** The store's state plus what a component needs to render and drive the flow. */
export interface UseFlinksConnectResult extends FlinksConnectState {
  iframeProps: FlinksConnectIframeProps;
  /**
   * Whether to render the iframe now: while Connect drives the flow (`ready`, `linking`, or an
   * error Connect itself reported before a link). Core's `isLinkable`, the widget's rule too.
   */
  iframeVisible: boolean;
  /** Mints a fresh Connect session (only needed with `autoStart: false` or after `reset()`). */
  start: () => Promise<void>;
  /** After an error: refreshes a recoverable retrieval, otherwise starts a new session. */
  retry: () => Promise<void>;
  /** Back to `idle`, forgetting the session, link and connection. */
  reset: () => void;
}

/** One store and its lifecycle bookkeeping, owned by one component instance. */
interface Instance {
  connect: FlinksConnect;
  /** Mounted effects using this store (StrictMode briefly unmounts and re-mounts them). */
  mounts: number;
  started: boolean;
  destroyed: boolean;
}

// Layout effects warn under React 18's server renderer; effects never run there anyway.
const useClientLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

function createInstance(latest: RefObject<UseFlinksConnectOptions>): Instance {
  const options = latest.current;
  const connect = createFlinksConnect({
    ...options,
    // Read through the ref so a getter that closes over fresh state is never stale. Whether
    // there is one at all is fixed at mount: without it the core relies on cookies (no ticket).
    getToken: options.getToken && (() => latest.current.getToken?.()),
  });
  return { connect, mounts: 0, started: false, destroyed: false };
}

/**
 * The whole Flinks Connect flow in one hook: the iframe, the loginId and the live retrieval
 * status from the proxy. The store is created once per component, read with
 * `useSyncExternalStore` (the server renders the idle state), started on mount unless
 * `autoStart` is false, and destroyed on unmount. Safe under StrictMode and with several
 * instances on one page: each listens to its own iframe only.
 *
 * @example
 * const flinks = useFlinksConnect({ proxyUrl: '/flinkit', getToken, onComplete: save });
 * return <>{flinks.iframeVisible && <iframe {...flinks.iframeProps} />}<p>{flinks.status}</p></>;
 */
export function useFlinksConnect(options: UseFlinksConnectOptions): UseFlinksConnectResult {
  const latest = useRef(options);
  const [instance, setInstance] = useState(() => createInstance(latest));
  const { connect } = instance;

  useClientLayoutEffect(() => {
    latest.current = options;
    connect.setCallbacks({
      onEvent: options.onEvent,
      onLinked: options.onLinked,
      onProgress: options.onProgress,
      onComplete: options.onComplete,
      onError: options.onError,
    });
  });

  const autoStart = options.autoStart ?? true;
  useEffect(() => {
    if (instance.destroyed) {
      // Effects came back after a real teardown (a hidden <Activity> shown again): start over.
      setInstance(createInstance(latest));
      return;
    }
    instance.mounts += 1;
    if (autoStart && !instance.started) {
      instance.started = true;
      void instance.connect.start();
    }
    return () => {
      instance.mounts -= 1;
      // StrictMode re-runs this effect synchronously after the cleanup; destroying only when no
      // effect came back keeps its one session and one listener alive.
      queueMicrotask(() => {
        if (instance.mounts === 0 && !instance.destroyed) {
          instance.destroyed = true;
          instance.connect.destroy();
        }
      });
    };
  }, [instance, autoStart]);

  const actions = useMemo(
    () => ({
      subscribe: (onChange: () => void) => connect.subscribe(onChange),
      getSnapshot: () => connect.getState(),
      ref: (iframe: HTMLIFrameElement | null) => connect.attach(iframe),
      start: () => {
        instance.started = true;
        return connect.start();
      },
      retry: () => connect.retry(),
      reset: () => connect.reset(),
    }),
    [instance, connect],
  );

  const state = useSyncExternalStore(actions.subscribe, actions.getSnapshot, getServerSnapshot);
  const title = options.title ?? DEFAULT_IFRAME_TITLE;
  const iframeProps = useMemo(
    () => ({ src: state.url ?? undefined, title, ref: actions.ref, sandbox: IFRAME_SANDBOX }),
    [state.url, title, actions.ref],
  );
  return {
    ...state,
    iframeProps,
    iframeVisible: isLinkable(state),
    start: actions.start,
    retry: actions.retry,
    reset: actions.reset,
  };
}

// The server (and hydration) render the state before `start()`: effects never run there.
function getServerSnapshot(): FlinksConnectState {
  return initialState;
}
