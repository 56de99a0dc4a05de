import { type Connection, isTerminalStatus, STATUS_EVENT } from '@flinkit/core/wire';
import type { RetrievalEngine } from '../engine/types';

/** Default SSE heartbeat interval: 15 s. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * Default most bytes queued for one SSE client that does not read: 64 KB (about fifty status
 * events). Past it the stream is dropped, and the client reconnects with `Last-Event-ID`.
 */
export const DEFAULT_SSE_BUFFER_BYTES = 64 * 1024;

/** How long an EventSource told to reconnect waits first: 1 s. */
export const RECONNECT_RETRY_MS = 1_000;

/** Options of {@link createStatusStream}. */
export interface StatusStreamOptions {
  engine: RetrievalEngine;
  userId: string;
  connectionId: string;
  /** The client's `Last-Event-ID`: only versions newer than it are sent. */
  lastEventId: number | null;
  heartbeatMs: number;
  /** Most bytes queued for a client that does not read; default {@link DEFAULT_SSE_BUFFER_BYTES}. */
  maxBufferedBytes?: number;
  /** Called when a client that stopped reading is dropped (its buffer is full). */
  onOverflow?: () => void;
  /** Called once when the stream opens and once when it ends (any reason). */
  onOpen?: () => void;
  onClose?: () => void;
  /**
   * Registers a closer so the app can end every stream on shutdown (the stream then says
   * `event: reconnect` before it ends); returns the unregister.
   */
  track?: (close: () => void) => () => void;
}

const encoder = new TextEncoder();

/** One SSE message: `id: <version>`, `event: status`, `data: <Connection JSON>`. */
export function formatStatusEvent(connection: Connection): string {
  return `id: ${connection.version}\nevent: ${STATUS_EVENT}\ndata: ${JSON.stringify(connection)}\n\n`;
}

/**
 * The last message of a stream the server ends while the client should carry on elsewhere
 * (shutdown, restart): `retry:` makes an EventSource reconnect after {@link RECONNECT_RETRY_MS}
 * with its `Last-Event-ID`, and `event: reconnect` tells other clients to do the same.
 */
export function formatReconnectEvent(): string {
  return `retry: ${RECONNECT_RETRY_MS}\nevent: reconnect\ndata: {"reason":"shutting_down"}\n\n`;
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
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_SSE_BUFFER_BYTES;

  return new ReadableStream<Uint8Array>(
    {
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

        const write = (text: string) => {
          if (closed) return;
          controller.enqueue(encoder.encode(text));
          // A client that stopped reading must not grow this process's memory: past the bound,
          // the queue is dropped with the stream (the client reconnects with Last-Event-ID).
          if ((controller.desiredSize ?? 0) < 0) {
            end(false);
            options.onOverflow?.();
            // The Node adapter takes this code for a client gone away: it drops the connection
            // without printing a stack.
            controller.error(
              Object.assign(new Error('SSE client too slow: its buffer is full.'), {
                code: 'ERR_STREAM_PREMATURE_CLOSE',
              }),
            );
          }
        };

        const send = (connection: Connection) => {
          if (closed || connection.version <= lastVersion) return;
          lastVersion = connection.version;
          write(formatStatusEvent(connection));
          if (isTerminalStatus(connection.status)) end(true);
        };

        options.onOpen?.();
        untrack = options.track?.(() => {
          write(formatReconnectEvent());
          end(true);
        });
        unsubscribe = options.engine.subscribe(options.connectionId, send);
        heartbeat = setInterval(() => write(': ping\n\n'), options.heartbeatMs);
        // Tell EventSource to wait 3 s before reconnecting after a dropped connection.
        write('retry: 3000\n\n');
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
    },
    new ByteLengthQueuingStrategy({ highWaterMark: maxBufferedBytes }),
  );
}

/** Response headers of an SSE stream. */
export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};
