import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import { ConfigError } from '../base/errors';
import { formatReconnectEvent, SSE_HEADERS } from './sse';

/** Node server timeouts of {@link startServer}, with their defaults. */
export interface ServerTimeouts {
  /** Longest wait for a request's headers; default 10 000 ms (`FLINKIT_HEADERS_TIMEOUT_MS`). */
  headersTimeoutMs?: number;
  /** Longest wait for a whole request, body included; default 30 000 ms (`FLINKIT_REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs?: number;
  /**
   * How long an idle keep-alive connection stays open; default 65 000 ms
   * (`FLINKIT_KEEP_ALIVE_TIMEOUT_MS`): longer than a load balancer's usual 60 s idle timeout,
   * so the balancer, not the proxy, closes idle connections.
   */
  keepAliveTimeoutMs?: number;
  /**
   * Longest graceful stop: in-flight requests are answered and SSE clients told to reconnect
   * within it, then the remaining sockets are closed; default 10 000 ms
   * (`FLINKIT_SHUTDOWN_TIMEOUT_MS`).
   */
  shutdownTimeoutMs?: number;
}

/** The defaults of {@link ServerTimeouts}. */
export const DEFAULT_SERVER_TIMEOUTS: Required<ServerTimeouts> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  shutdownTimeoutMs: 10_000,
};

/** Checks the timeouts and returns them with defaults filled in. */
export function resolveTimeouts(timeouts: ServerTimeouts): Required<ServerTimeouts> {
  const resolved = { ...DEFAULT_SERVER_TIMEOUTS };
  for (const key of Object.keys(resolved) as Array<keyof ServerTimeouts>) {
    const value = timeouts[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0) {
      throw new ConfigError(key, `startServer: \`${key}\` must be a positive integer (ms).`);
    }
    resolved[key] = value;
  }
  if (resolved.headersTimeoutMs > resolved.requestTimeoutMs) {
    throw new ConfigError(
      'headersTimeoutMs',
      'startServer: `headersTimeoutMs` must not exceed `requestTimeoutMs`.',
    );
  }
  return resolved;
}

/** `http.createServer` options for the timeouts. */
export function nodeServerOptions(timeouts: Required<ServerTimeouts>): ServerOptions {
  return {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    // Node checks the two request timeouts on this interval (30 s by default), which would let
    // a slow client hold its socket far past them.
    connectionsCheckingInterval: Math.max(
      50,
      Math.min(1_000, Math.floor(timeouts.headersTimeoutMs / 2)),
    ),
  };
}

/**
 * The answer to a request that arrives while the server drains: a 503 with `Connection:
 * close` and `Retry-After`; for an SSE stream, a stream that only says "reconnect", because an
 * EventSource gives up for good on a 503 but retries after a stream ends.
 */
export function answerWhileDraining(incoming: IncomingMessage, outgoing: ServerResponse): void {
  const path = (incoming.url ?? '').split('?')[0] ?? '';
  if (incoming.method === 'GET' && /\/v1\/connections\/[^/]+\/events$/.test(path)) {
    outgoing.writeHead(200, { ...SSE_HEADERS, connection: 'close' });
    outgoing.end(formatReconnectEvent());
    return;
  }
  const body = JSON.stringify({
    error: {
      code: 'shutting_down',
      message: 'The proxy is restarting. Try again in a moment.',
      recoverable: true,
    },
  });
  outgoing.writeHead(503, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'retry-after': '1',
    'cache-control': 'no-store',
    connection: 'close',
  });
  outgoing.end(body);
}
