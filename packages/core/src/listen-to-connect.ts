import { type ConnectEvent, parseConnectMessage } from './connect-message';
import type { MessageSource } from './types';

/**
 * Why a message was refused: an event the page made itself (`untrusted`: a script's
 * `dispatchEvent`, which can claim any origin and source), wrong `origin`, wrong `source` window,
 * or a payload that does not parse.
 */
export type InvalidMessageReason = 'untrusted' | 'origin' | 'source' | 'malformed';

export interface ListenToConnectOptions {
  /** The Flinks Connect iframe; only messages from its window are accepted. */
  iframe: HTMLIFrameElement;
  /** The exact origin of the iframe's URL, e.g. `https://toolbox-iframe.private.fin.ag`. */
  origin: string;
  /** Every accepted, validated event. */
  onEvent: (event: ConnectEvent, message: MessageEvent) => void;
  /** Every refused message, with the reason (diagnostics only: nothing else happens). */
  onInvalid?: ((reason: InvalidMessageReason, message: MessageEvent) => void) | undefined;
  /** Where `message` events arrive; default `window`, looked up when called. */
  source?: MessageSource | undefined;
}

/**
 * Listens to the Flinks Connect iframe. A message is accepted only when the browser delivered it
 * (`isTrusted`, so not a `MessageEvent` a script built), `event.origin === origin` **and**
 * `event.source === iframe.contentWindow`, and its payload parses; the payload of any other message
 * is never read. Returns the function that stops listening.
 *
 * @example
 * const stop = listenToConnect({ iframe, origin: new URL(iframe.src).origin, onEvent: console.log });
 */
export function listenToConnect({
  iframe,
  origin,
  onEvent,
  onInvalid,
  source = window,
}: ListenToConnectOptions): () => void {
  const listener = (message: MessageEvent) => {
    const frame = iframe.contentWindow;
    // A script's own `new MessageEvent(…)` can claim any origin and source: only the browser's
    // count. Then both checks: the origin alone would accept any other frame of that origin.
    const reason =
      message.isTrusted === false
        ? 'untrusted'
        : message.origin !== origin
          ? 'origin'
          : !frame || message.source !== frame
            ? 'source'
            : null;
    const event = reason ? null : parseConnectMessage(message.data);
    if (event) onEvent(event, message);
    else onInvalid?.(reason ?? 'malformed', message);
  };
  source.addEventListener('message', listener);
  return () => source.removeEventListener('message', listener);
}
