import type { Agent } from 'undici';

/** One HTTP request to Flinks. */
export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  /** No answer (headers, then each part of the body) within this long is a timeout. */
  timeoutMs: number;
  /** Flinks may hold this request for minutes (GetAccountsDetail): it must not wait for a connection. */
  mayHold?: boolean;
  /** Abandons the request (the engine is stopping). */
  signal?: AbortSignal;
}

/** Flinks' answer, read whole. */
export interface UpstreamResponse {
  status: number;
  header(name: string): string | null;
  text: string;
}

/** Carries requests to Flinks; {@link createPooledTransport} unless a `fetch` is given. */
export interface Transport {
  send(url: string, init: UpstreamRequest): Promise<UpstreamResponse>;
  /** Closes idle connections (the engine calls it when it stops). */
  close(): Promise<void>;
}

/** A request that got no answer: `timedOut`, or a network failure with a safe `code`. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly timedOut: boolean,
    readonly code: string,
  ) {
    super(timedOut ? 'timed out' : code);
  }
}

const SAFE_NETWORK_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * True while the global `fetch` is Node's own. msw (an app's tests) or a test double replaces
 * it, possibly after this module loaded (the engine loads lazily), so Node's is recognised by
 * its source rather than by identity; the answer is kept per function.
 */
function createNativeFetchCheck(): () => boolean {
  let checked: unknown;
  let native = true;
  return () => {
    const current = globalThis.fetch;
    if (current !== checked) {
      checked = current;
      native = /^(async )?function fetch\(input, init/.test(
        Function.prototype.toString.call(current),
      );
    }
    return native;
  };
}

/** Most connections of the pool for quick calls; a burst beyond it queues for a moment. */
const QUICK_CONNECTIONS = 64;

/**
 * Requests through keep-alive connection pools (undici's `Agent`): a poll reuses an open
 * connection instead of opening one, and costs a fraction of `fetch`'s CPU (no WHATWG
 * Request/Response/stream objects). Quick calls share at most 64 connections per host, so a
 * burst of claims does not open (and later drop) hundreds; requests Flinks may hold for minutes
 * have a pool without a cap, so a held GetAccountsDetail never makes a poll wait.
 *
 * When the global `fetch` has been replaced since start-up (msw in an app's tests, a test
 * double), calls go through it instead, so Flinks can still be intercepted there.
 */
export function createPooledTransport(): Transport {
  // undici is loaded at the first call: most of a proxy's start-up time was spent loading it.
  let pools:
    | Promise<{ quick: Agent; held: Agent; request: typeof import('undici').request }>
    | undefined;
  const load = () =>
    (pools ??= import('undici').then(({ Agent: Pool, request }) => ({
      quick: new Pool({ connections: QUICK_CONNECTIONS }),
      held: new Pool({ connections: null }),
      request,
    })));
  const intercepted = createFetchTransport((input, init) => globalThis.fetch(input, init));
  const nativeFetch = createNativeFetchCheck();
  return {
    async send(url, init) {
      if (!nativeFetch()) return intercepted.send(url, init);
      const { quick, held, request } = await load();
      try {
        const response = await request(url, {
          method: init.method,
          headers: init.headers,
          body: init.body ?? null,
          dispatcher: init.mayHold ? held : quick,
          headersTimeout: init.timeoutMs,
          bodyTimeout: init.timeoutMs,
          ...(init.signal ? { signal: init.signal } : {}),
        });
        const text = await response.body.text();
        const headers = response.headers;
        return {
          status: response.statusCode,
          header(name) {
            const value = headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
          },
          text,
        };
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'string' && TIMEOUT_CODES.has(code))
          throw new TransportError(true, code);
        throw new TransportError(
          false,
          typeof code === 'string' && SAFE_NETWORK_CODE.test(code) ? code : 'network error',
        );
      }
    },
    async close() {
      if (!pools) return;
      const { quick, held } = await pools;
      await Promise.all([quick.close(), held.close()]);
    },
  };
}

/** Requests through a `fetch` (tests that intercept it, custom runtimes), one timer each. */
export function createFetchTransport(fetchImpl: typeof fetch): Transport {
  return {
    async send(url, init) {
      try {
        const response = await fetchImpl(url, {
          method: init.method,
          headers: init.headers,
          ...(init.body === undefined ? {} : { body: init.body }),
          signal: init.signal
            ? AbortSignal.any([init.signal, AbortSignal.timeout(init.timeoutMs)])
            : AbortSignal.timeout(init.timeoutMs),
        });
        const text = await response.text();
        return { status: response.status, header: (name) => response.headers.get(name), text };
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        if (name === 'TimeoutError' || name === 'AbortError') {
          throw new TransportError(true, 'timeout');
        }
        const cause =
          error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
        const code = typeof cause?.code === 'string' ? cause.code : 'network error';
        throw new TransportError(false, SAFE_NETWORK_CODE.test(code) ? code : 'network error');
      }
    },
    close: async () => undefined,
  };
}
