import { autoMount, whenParsed } from './auto-mount.js';
import { getWidget } from './create-widget.js';
import { WidgetError } from './errors.js';
import { mount as mountWidget } from './mount.js';
import type { WidgetHandle, WidgetOptions } from './types.js';

/**
 * Entry of `flinkit.js` (global `Flinkit`): the one place with a side effect at load, namely
 * mounting every `[data-flinkit]` element once the document is parsed.
 */

// The nonce of the <script> that loaded us also allows our <style> under `style-src 'nonce-…'`.
const scriptNonce =
  typeof document === 'undefined' ? undefined : document.currentScript?.nonce || undefined;

/** `mount`, with the loading script's nonce as the default `nonce`. */
export function mount(element: Element, options: WidgetOptions): WidgetHandle {
  return mountWidget(element, { nonce: scriptNonce, ...options });
}

/** Mounts every `[data-flinkit]` element not mounted yet (e.g. after the page added some). */
function mountAll(root: Document = document): WidgetHandle[] {
  return autoMount(root, { nonce: scriptNonce });
}

/**
 * The widget to open or close: the one on `target` (an element or a CSS selector), by default
 * the first auto-mounted `data-mode="modal"` element of the page.
 */
function find(target: Element | string = '[data-flinkit][data-mode="modal"]'): WidgetHandle | null {
  const element = typeof target === 'string' ? document.querySelector(target) : target;
  return element && getWidget(element);
}

/** Opens a modal widget's dialog (see `WidgetHandle.open`). */
export function open(target?: Element | string): void {
  find(target)?.open();
}

/** Closes a modal widget's dialog (see `WidgetHandle.close`). */
export function close(target?: Element | string): void {
  find(target)?.close();
}

export { getWidget, mountAll as autoMount, WidgetError };
/** The package version. */
export const version = '0.0.0';

if (typeof document !== 'undefined') whenParsed(document, () => mountAll(document));
