import { createFlinksConnect } from '@flinkit/core';
import { createWidget } from './create-widget.js';
import type { WidgetHandle, WidgetOptions } from './types.js';

/**
 * Renders Flinks Connect and the retrieval status into `element` and starts a Connect session
 * (in modal mode: a launch button, and the dialog with the session on `open()` or a click).
 * Throws a `WidgetError` (`invalid_element`, `invalid_option`, `already_mounted`) on bad input.
 *
 * @example
 * const widget = Flinkit.mount(document.querySelector('#bank')!, {
 *   proxyUrl: 'https://api.example.com',
 *   tokenUrl: '/flinkit-token',
 * });
 * widget.on('complete', ({ accounts }) => console.log(accounts));
 */
export function mount(element: Element, options: WidgetOptions): WidgetHandle {
  return createWidget(element, options, { createConnect: createFlinksConnect });
}
