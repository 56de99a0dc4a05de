import type { Connection } from '@flinkit/core/wire';

/** An open SSE status stream of one connection. */
export interface StatusStream {
  /** Resolves when the server ends the stream (after a terminal status) or it is closed. */
  done: Promise<void>;
  close(): void;
}

/**
 * Reads `GET /v1/connections/:id/events` as a browser's EventSource would, calling `onStatus`
 * with each `status` event and the `performance.now()` at which its bytes were read.
 */
export async function openStatusStream(
  url: string,
  headers: Record<string, string>,
  onStatus: (connection: Connection, receivedAt: number) => void,
): Promise<StatusStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { ...headers, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) {
    throw new Error(`SSE stream answered ${response.status}: ${await response.text()}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const done = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) return;
        const receivedAt = performance.now();
        buffer += value;
        let boundary = buffer.indexOf('\n\n');
        while (boundary !== -1) {
          const message = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const data = message
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          if (data !== '' && /^event: ?status$/m.test(message)) {
            onStatus(JSON.parse(data) as Connection, receivedAt);
          }
          boundary = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return { done, close: () => controller.abort() };
}
