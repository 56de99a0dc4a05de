import type { ServerResponse } from 'node:http';
import { DEFAULT_SSE_BUFFER_BYTES, openStatusFeed, type StatusStreamOptions } from './sse';

// The header by which @hono/node-server leaves a response alone (its RESPONSE_ALREADY_SENT).
const ALREADY_SENT = 'x-hono-already-sent';
// Marks a Response whose body is a Node status feed; never sent (removed before the head).
const FEED_HEADER = 'x-flinkit-node-feed';

const waiting = new Map<string, (response: ServerResponse) => void>();
let nextFeed = 0;
// The Node responses of startServer, which hands each answer to sendNodeFeed. A host serving
// `flinkit.app` inside its own Hono app on Node has `env.outgoing` too, but never calls it.
const served = new WeakSet<ServerResponse>();

/** Marks `response` as one whose answer goes through {@link sendNodeFeed}. */
export function acceptNodeFeed(response: ServerResponse): void {
  served.add(response);
}

/** The Node response an SSE feed may be written to, from a request's Hono `env`. */
export function nodeFeedTarget(env: unknown): ServerResponse | undefined {
  const outgoing = (env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  return outgoing && served.has(outgoing) ? outgoing : undefined;
}

/**
 * A body-less SSE Response (status and headers as the app's middleware leave them) whose feed
 * {@link sendNodeFeed} then writes straight to the Node response: no web stream, reader or
 * encoder per client. Only for requests of `startServer` ({@link nodeFeedTarget}).
 */
export function nodeFeedResponse(
  options: StatusStreamOptions,
  headers: Record<string, string>,
): Response {
  const id = String(nextFeed++);
  waiting.set(id, (response) => writeStatusFeed(options, response));
  return new Response(null, { status: 200, headers: { ...headers, [FEED_HEADER]: id } });
}

/**
 * Writes the head of a {@link nodeFeedResponse} and starts its feed on `response`; returns the
 * Response that tells the Node adapter the answer is already sent. Any other Response is
 * returned as is.
 */
export function sendNodeFeed(answer: Response, response: ServerResponse): Response {
  // Reading `headers` would turn the Node adapter's plain header object into a Headers instance
  // on every answer (the status route's fast path): only looked at while a feed waits.
  if (waiting.size === 0) return answer;
  const id = answer.headers.get(FEED_HEADER);
  const start = id === null ? undefined : waiting.get(id);
  if (id === null || start === undefined) return answer;
  waiting.delete(id);
  const head: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (name !== FEED_HEADER) head[name] = value;
  });
  response.writeHead(answer.status, head);
  response.flushHeaders();
  start(response);
  return new Response(null, { headers: { [ALREADY_SENT]: 'true' } });
}

/**
 * The status feed written to a Node response whose head is written: only the socket's own
 * buffer, bounded by `maxBufferedBytes`. Ends with the response; a closed socket stops it.
 */
function writeStatusFeed(options: StatusStreamOptions, response: ServerResponse): void {
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_SSE_BUFFER_BYTES;
  const stop = openStatusFeed(options, {
    write(text) {
      if (response.destroyed) return true;
      response.write(text);
      return response.writableLength <= maxBufferedBytes;
    },
    end: () => response.end(),
    drop: () => response.destroy(),
  });
  response.once('close', stop);
  if (response.destroyed || !response.socket || response.socket.destroyed) stop();
}
