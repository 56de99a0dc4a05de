import { type ErrorInfo, FlinkitError } from '@flinkit/core';
import { type FlinkitGlobalConfig, readElementOptions } from './config.js';
import { getWidget } from './create-widget.js';
import { mount } from './mount.js';
import type { WidgetHandle, WidgetOptions } from './types.js';

/** Defaults applied under each element's own data attributes (the IIFE passes its script's nonce). */
export type AutoMountDefaults = Pick<WidgetOptions, 'nonce'>;

/**
 * Mounts a widget on every `[data-flinkit]` element of `document` that has none yet and no
 * `data-flinkit-manual`. An element with bad attributes gets a `flinkit:error` event (and a
 * console error) instead of breaking the others.
 */
export function autoMount(
  document: Document,
  defaults: AutoMountDefaults = {},
  mountWidget: typeof mount = mount,
): WidgetHandle[] {
  const view = document.defaultView as (Window & { FlinkitConfig?: FlinkitGlobalConfig }) | null;
  const handles: WidgetHandle[] = [];
  for (const element of document.querySelectorAll<HTMLElement>('[data-flinkit]')) {
    if (element.hasAttribute('data-flinkit-manual') || getWidget(element)) continue;
    try {
      handles.push(
        mountWidget(element, readElementOptions(element, view?.FlinkitConfig, defaults)),
      );
    } catch (error) {
      const detail: ErrorInfo = FlinkitError.isInstance(error)
        ? error.toJSON()
        : { code: 'mount_failed', message: String(error), recoverable: false };
      element.dispatchEvent(new CustomEvent('flinkit:error', { detail, bubbles: true }));
      console.error('[flinkit]', detail.message);
    }
  }
  return handles;
}

/** Calls `callback` once the document is parsed (at once if it already is). */
export function whenParsed(document: Document, callback: () => void): void {
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', callback, { once: true });
  } else {
    callback();
  }
}
