import type {
  Connection,
  CreateConnectionRequest,
  EventSourceFactory,
  EventSourceLike,
} from '@flinkit/core';
import { HttpResponse, http } from 'msw';

/** Where the fake proxy lives in unit tests. */
export const PROXY_URL = 'https://proxy.test';
/** Origin of the Connect iframe pages the fake proxy hands out. */
export const CONNECT_ORIGIN = 'https://connect.test';
/** The bearer token tests give `getToken`; the fake proxy rejects any other. */
export const USER_TOKEN = 'user-token-1';

const START = Date.parse('2026-01-01T00:00:00.000Z');

type Listener = (event: MessageEvent) => void;

/** An `EventSource` double: records its URL and `close()`, and lets the fake proxy push events. */
export class FakeEventSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: Listener): void {
    const set = this.#listeners.get(type) ?? new Set<Listener>();
    set.add(listener);
    this.#listeners.set(type, set);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.#listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.readyState = 2;
    this.closed = true;
  }

  open(): void {
    if (this.closed) return;
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  /** Sends `event: status`, `id: version`, `data: connection` as the proxy's SSE route does. */
  emit(connection: Connection): void {
    if (this.closed) return;
    const event = new MessageEvent('status', {
      data: JSON.stringify(connection),
      lastEventId: String(connection.version),
    });
    for (const listener of this.#listeners.get('status') ?? []) listener(event);
  }
}

function makeConnection(id: string, request: CreateConnectionRequest): Connection {
  const at = new Date(START).toISOString();
  return {
    id,
    status: 'pending',
    institution: request.institution ?? null,
    tag: request.tag ?? null,
    retrievalId: `retrieval-${id}`,
    attempt: 0,
    startedAt: at,
    nextPollAt: null,
    deadlineAt: new Date(START + 30 * 60_000).toISOString(),
    completedAt: null,
    updatedAt: at,
    version: 1,
    error: null,
    lastRefresh: null,
    stale: null,
  };
}

/**
 * The proxy's HTTP API (wire.ts) as msw handlers with an in-memory state that tests drive:
 * `update(id, patch)` changes a connection and pushes it to its open event streams, like the
 * real proxy's SSE route. Counts what the browser asked for.
 */
export function createFakeProxy() {
  const connections = new Map<string, Connection>();
  const sessionRequests: unknown[] = [];
  const connectionRequests: CreateConnectionRequest[] = [];
  const streams: FakeEventSource[] = [];
  let sessionCount = 0;

  const unauthorized = () =>
    HttpResponse.json(
      { error: { code: 'unauthorized', message: 'Sign in again.', recoverable: false } },
      { status: 401 },
    );
  const authorized = (request: Request) =>
    request.headers.get('authorization') === `Bearer ${USER_TOKEN}`;
  const notFound = () =>
    HttpResponse.json(
      { error: { code: 'not_found', message: 'No such connection.', recoverable: false } },
      { status: 404 },
    );

  const handlers = [
    // The iframe page itself, so happy-dom gives the <iframe> a real contentWindow.
    http.get(`${CONNECT_ORIGIN}/v2/`, () =>
      HttpResponse.html('<!doctype html><title>Connect</title>'),
    ),
    http.post(`${PROXY_URL}/v1/connect/sessions`, async ({ request }) => {
      if (!authorized(request)) return unauthorized();
      sessionRequests.push(await request.json());
      sessionCount += 1;
      return HttpResponse.json({
        url: `${CONNECT_ORIGIN}/v2/?authorizeToken=token-${sessionCount}&demo=true`,
        expiresAt: new Date(START + 30 * 60_000).toISOString(),
      });
    }),
    http.post(`${PROXY_URL}/v1/connections`, async ({ request }) => {
      if (!authorized(request)) return unauthorized();
      const body = (await request.json()) as CreateConnectionRequest;
      connectionRequests.push(body);
      const id = `connection-${connectionRequests.length}`;
      const connection = makeConnection(id, body);
      connections.set(id, connection);
      return HttpResponse.json({ connection }, { status: 202 });
    }),
    http.post(`${PROXY_URL}/v1/connections/:id/ticket`, ({ request, params }) => {
      if (!authorized(request)) return unauthorized();
      if (!connections.has(String(params.id))) return notFound();
      return HttpResponse.json({
        ticket: `ticket-${String(params.id)}`,
        expiresAt: new Date(START + 60_000).toISOString(),
      });
    }),
    http.get(`${PROXY_URL}/v1/connections/:id/events`, ({ params }) => {
      const connection = connections.get(String(params.id));
      if (!connection) return notFound();
      const body = `id: ${connection.version}\nevent: status\ndata: ${JSON.stringify(connection)}\n\n`;
      return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
    }),
    http.get(`${PROXY_URL}/v1/connections/:id`, ({ request, params }) => {
      if (!authorized(request)) return unauthorized();
      const connection = connections.get(String(params.id));
      return connection ? HttpResponse.json({ connection }) : notFound();
    }),
  ];

  const eventSource: EventSourceFactory = (url) => {
    const stream = new FakeEventSource(url);
    streams.push(stream);
    // Like the real route: open, then the current status first.
    queueMicrotask(() => {
      stream.open();
      const id = /\/v1\/connections\/([^/]+)\/events/.exec(url)?.[1];
      const connection = id === undefined ? undefined : connections.get(decodeURIComponent(id));
      if (connection) stream.emit(connection);
    });
    return stream;
  };

  return {
    handlers,
    eventSource,
    streams,
    sessionRequests,
    connectionRequests,
    /** `POST /v1/connect/sessions` answered so far. */
    get sessionCount() {
      return sessionCount;
    },
    connection(id: string): Connection | undefined {
      return connections.get(id);
    },
    /** Changes a connection (bumping its version) and pushes it to every open stream for it. */
    update(id: string, patch: Partial<Connection>): Connection {
      const current = connections.get(id);
      if (!current) throw new Error(`no connection ${id}`);
      const next = { ...current, ...patch, version: current.version + 1 };
      connections.set(id, next);
      for (const stream of streams) {
        if (stream.url.includes(`/v1/connections/${id}/events`)) stream.emit(next);
      }
      return next;
    },
  };
}

/** The fake proxy returned by {@link createFakeProxy}. */
export type FakeProxy = ReturnType<typeof createFakeProxy>;
