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
  /** The app's shared heartbeat timer; one of the stream's own when absent. */
  heartbeats?: Heartbeats;
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

/** Where a status feed writes: a web stream's controller or a Node response. */
export interface SseSink {
  /** Queues `text`; false when the client's queue is past its bound. */
  write(text: string): boolean;
  /** Ends the stream after what is queued. */
  end(): void;
  /** Drops the stream at once (a client that stopped reading). */
  drop(): void;
}

/**
 * The status feed of one connection, written to `sink`: the current status first (unless the
 * client already has that version), then each newer status, a `: ping` comment at each beat of
 * `options.heartbeats`, and the end after a terminal status. Subscribes before reading the
 * current state so no change is lost in between; versions never go backwards on the wire.
 * Returns the stop for a client that went away.
 */
export function openStatusFeed(options: StatusStreamOptions, sink: SseSink): () => void {
  let closed = false;
  let lastVersion = options.lastEventId ?? -1;
  let stopBeat: (() => void) | undefined;
  let unsubscribe: (() => void) | undefined;
  let untrack: (() => void) | undefined;
  const end = (endSink: boolean) => {
    if (closed) return;
    closed = true;
    stopBeat?.();
    unsubscribe?.();
    untrack?.();
    options.onClose?.();
    if (endSink) sink.end();
  };
  const write = (text: string) => {
    if (closed) return;
    // A client that stopped reading must not grow this process's memory: past the bound, the
    // queue is dropped with the stream (the client reconnects with Last-Event-ID).
    if (!sink.write(text)) {
      end(false);
      options.onOverflow?.();
      sink.drop();
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
  stopBeat = (options.heartbeats ?? createHeartbeats(options.heartbeatMs)).add(() =>
    write(': ping\n\n'),
  );
  // Tell EventSource to wait 3 s before reconnecting after a dropped connection.
  write('retry: 3000\n\n');
  options.engine.getConnection(options.userId, options.connectionId).then(
    (current) => (current === null ? end(true) : send(current)),
    () => end(true),
  );
  return () => end(false);
}

/**
 * The status feed as a web `ReadableStream` (any fetch-native runtime), its queue bounded by
 * `maxBufferedBytes`. On Node, `sse-node.ts` writes to the response instead.
 */
export function createStatusStream(options: StatusStreamOptions): ReadableStream<Uint8Array> {
  let stop: (() => void) | undefined;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        stop = openStatusFeed(options, {
          write(text) {
            controller.enqueue(encoder.encode(text));
            return (controller.desiredSize ?? 0) >= 0;
          },
          end() {
            try {
              controller.close();
            } catch {
              // Already closed or errored by the consumer.
            }
          },
          drop() {
            // The Node adapter takes this code for a client gone away: it drops the connection
            // without printing a stack.
            controller.error(
              Object.assign(new Error('SSE client too slow: its buffer is full.'), {
                code: 'ERR_STREAM_PREMATURE_CLOSE',
              }),
            );
          },
        });
      },
      cancel() {
        stop?.();
      },
    },
    new ByteLengthQueuingStrategy({
      highWaterMark: options.maxBufferedBytes ?? DEFAULT_SSE_BUFFER_BYTES,
    }),
  );
}

/** One timer for the heartbeats of every stream of an app (not one per stream). */
export interface Heartbeats {
  /** Calls `beat` at each interval until the returned stop. */
  add(beat: () => void): () => void;
}

/**
 * {@link Heartbeats} every `intervalMs`: the timer runs while at least one stream is open, so a
 * stream gets its first ping within one interval of opening.
 */
export function createHeartbeats(intervalMs: number): Heartbeats {
  const beats = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    add(beat) {
      beats.add(beat);
      timer ??= setInterval(() => {
        for (const each of [...beats]) each();
      }, intervalMs);
      return () => {
        beats.delete(beat);
        if (beats.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
}

/** Response headers of an SSE stream. */
export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};
