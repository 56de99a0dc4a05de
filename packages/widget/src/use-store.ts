import { useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { ExternalStore } from './types.js';

/**
 * React's `useSyncExternalStore` on `preact/hooks`, so the widget needs no `preact/compat`.
 * Preact renders synchronously, so re-rendering on every change notification is enough; the
 * check after subscribing catches a change between render and subscription.
 */
export function useSyncExternalStore<T>(
  subscribe: (onChange: () => void) => () => void,
  getSnapshot: () => T,
): T {
  const value = getSnapshot();
  const [, rerender] = useState({});
  useLayoutEffect(() => {
    const check = () => rerender({});
    if (!Object.is(value, getSnapshot())) check();
    return subscribe(check);
  }, [subscribe, getSnapshot]);
  return value;
}

/** The current state of a zustand-like store, re-rendering on every change. */
export function useStore<T>(store: ExternalStore<T>): T {
  // Bound once per store: the store's methods may rely on `this`.
  const [subscribe, getState] = useMemo(
    () => [(onChange: () => void) => store.subscribe(onChange), () => store.getState()] as const,
    [store],
  );
  return useSyncExternalStore(subscribe, getState);
}

/** `Date.now()`, refreshed every second while `active` (for countdowns). */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now);
  useLayoutEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
