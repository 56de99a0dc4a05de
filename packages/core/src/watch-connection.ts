import { asFlinkitError, type FlinkitError } from './flinkit-error';
import type { ProxyClient, ProxyClientOptions } from './proxy-client';
import { systemTimers } from './timers';
import type { EventSourceLike } from './types';
import { type Connection, isTerminalStatus, STATUS_EVENT } from './wire';

/** Options of `ProxyClient.watch()`. */
export interface WatchOptions {
  /** The watch gave up (an error retrying cannot fix, e.g. 401 or 404); it has stopped. */
  onError?: ((error: FlinkitError) => void) | undefined;
}

function readConnection(data: unknown): Connection | null {
  try {
    const value = JSON.parse(String(data));
    return typeof value?.version === 'number' && typeof value.status === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** The machinery of `ProxyClient.watch()`; see there. */
export function watchConnection(
  client: ProxyClient,
  options: ProxyClientOptions,
  url: string,
  id: string,
  onUpdate: (connection: Connection) => void,
  { onError }: WatchOptions = {},
): () => void {
  const { timers = systemTimers(), pollInterval = 2000 } = options;
  const eventSource =
    options.eventSource ??
    (typeof EventSource === 'function' ? (href: string) => new EventSource(href) : undefined);
  let stopped = false;
  let version = -1;
  let failures = 0;
  let stream: EventSourceLike | undefined;
  let timer: unknown;

  const stop = () => {
    stopped = true;
    stream?.close();
    timers.clearTimeout(timer);
  };
  const later = () => {
    if (!stopped) timer = timers.setTimeout(next, pollInterval);
  };
  const update = (connection: Connection | null) => {
    if (stopped || !connection || connection.version <= version) return;
    version = connection.version;
    onUpdate(connection);
    if (isTerminalStatus(connection.status)) stop();
  };
  // One step: open a stream while streams work (fewer than 3 failures in a row), otherwise poll
  // once; a step that fails or ends waits `pollInterval` and takes the next.
  const next = async () => {
    try {
      if (eventSource && failures < 3) {
        const query = new URLSearchParams();
        if (options.getToken) query.set('ticket', (await client.createTicket(id)).ticket);
        // A new EventSource cannot send Last-Event-ID itself, so the last version goes in the query.
        if (version >= 0) query.set('lastEventId', String(version));
        if (stopped) return;
        const current = eventSource(`${url}?${query}`);
        stream = current;
        current.addEventListener(STATUS_EVENT, (message) => {
          failures = 0;
          update(readConnection(message.data));
        });
        current.onerror = () => {
          current.close();
          failures++;
          later();
        };
        return;
      }
      update((await client.getConnection(id)).connection);
    } catch (error) {
      // Transient failures are retried quietly; anything else ends the watch.
      const flinkitError = asFlinkitError(error);
      if (!flinkitError.recoverable && !stopped) {
        stop();
        onError?.(flinkitError);
      }
      failures++;
    }
    later();
  };
  next();
  return stop;
}
