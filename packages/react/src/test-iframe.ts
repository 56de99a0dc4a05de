import type { MessageSource } from '@flinkit/core';
import { CONNECT_ORIGIN } from './test-proxy';

type Listener = (event: MessageEvent) => void;

/**
 * Posts `data` as the Connect iframe would: a real `MessageEvent` on `window` whose `source` is
 * the iframe's window and whose `origin` is the session URL's origin (override either to forge).
 */
export function postFromIframe(
  iframe: HTMLIFrameElement,
  data: unknown,
  overrides: { origin?: string; source?: Window | null } = {},
): void {
  const source = overrides.source === undefined ? iframe.contentWindow : overrides.source;
  window.dispatchEvent(
    new MessageEvent('message', { data, origin: overrides.origin ?? CONNECT_ORIGIN, source }),
  );
}

/** A `MessageSource` over `window` that counts the listeners added and still attached. */
export function createCountingMessageSource() {
  const active = new Set<Listener>();
  let added = 0;
  const source: MessageSource = {
    addEventListener(type, listener) {
      added += 1;
      active.add(listener);
      window.addEventListener(type, listener);
    },
    removeEventListener(type, listener) {
      active.delete(listener);
      window.removeEventListener(type, listener);
    },
  };
  return {
    source,
    /** Listeners currently attached. */
    get active() {
      return active.size;
    },
    /** Listeners ever added. */
    get added() {
      return added;
    },
  };
}

/** The one `<iframe>` in `container`; throws when there is none or several. */
export function getIframe(container: ParentNode = document): HTMLIFrameElement {
  const frames = container.querySelectorAll('iframe');
  if (frames.length !== 1) throw new Error(`expected one iframe, found ${frames.length}`);
  return frames[0] as HTMLIFrameElement;
}
