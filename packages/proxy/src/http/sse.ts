import { type Connection, isTerminalStatus, STATUS_EVENT } from '@flinkit/core/wire';
import type { RetrievalEngine } from '../engine/types';

/** Default SSE heartbeat interval: 15 s. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/** Options of {@link createStatusStream}. */
export interface StatusStreamOptions {
  engine: RetrievalEngine;
  userId: string;
  connectionId: string;
  /** The client's `Last-Event-ID`: only versions newer than it are sent. */
  lastEventId: number | null;
  heartbeatMs: number;
  /** Called once when the stream opens and once when it ends (any reason). */
  onOpen?: () => void;
  onClose?: () => void;
  /** Registers a closer so the app can end every stream on shutdown; returns the unregister. */
  track?: (close: () => void) => () => void;
}

const encoder = new TextEncoder();

/** One SSE message: `id: <version>`, `event: status`, `data: <Connection JSON>`. */
export function formatStatusEvent(connection: Connection): string {
  return `id: ${connection.version}\nevent: ${STATUS_EVENT}\ndata: ${JSON.stringify(connection)}\n\n`;
}

/** Parses a `Last-Event-ID` value (a connection version); null when absent or not a number. */
export function parseLastEventId(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/**
 * The status stream of one connection: the current status first (unless the client already
 * has that version), then each newer status, a `: ping` comment every `heartbeatMs`, and the
 * end of the stream after a terminal status. Subscribes before reading the current state so
 * no change is lost in between; versions never go backwards on the wire.
 */
export function createStatusStream(options: StatusStreamOptions): ReadableStream<Uint8Array> {
  let finish: (() => void) | undefined;

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let lastVersion = options.lastEventId ?? -1;
      let heartbeat: ReturnType<typeof setInterval> | undefined;
      let unsubscribe: (() => void) | undefined;
      let untrack: (() => void) | undefined;

      const end = (closeController: boolean) => {
        if (closed) return;
        closed = true;
        if (heartbeat !== undefined) clearInterval(heartbeat);
        unsubscribe?.();
        untrack?.();
        options.onClose?.();
        if (closeController) {
          try {
            controller.close();
          } catch {
            // Already closed or errored by the consumer.
          }
        }
      };
      finish = () => end(false);

      const send = (connection: Connection) => {
        if (closed || connection.version <= lastVersion) return;
        lastVersion = connection.version;
        controller.enqueue(encoder.encode(formatStatusEvent(connection)));
        if (isTerminalStatus(connection.status)) end(true);
      };

      options.onOpen?.();
      untrack = options.track?.(() => end(true));
      unsubscribe = options.engine.subscribe(options.connectionId, send);
      heartbeat = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(': ping\n\n'));
      }, options.heartbeatMs);
      // Tell EventSource to wait 3 s before reconnecting after a dropped connection.
      controller.enqueue(encoder.encode('retry: 3000\n\n'));
      try {
        const current = await options.engine.getConnection(options.userId, options.connectionId);
        if (current === null) end(true);
        else send(current);
      } catch {
        end(true);
      }
    },
    cancel() {
      finish?.();
    },
  });
}

/** Response headers of an SSE stream. */
export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};
