// @vitest-environment node
import { EventSource } from 'eventsource';
import { HttpResponse, http, sse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FlinkitError } from './flinkit-error';
import { createProxyClient } from './proxy-client';
import { createManualTimers, makeConnection } from './test-helpers';
import type { EventSourceFactory, EventSourceLike } from './types';
import type { Connection } from './wire';

const BASE = 'https://proxy.test';
const EVENTS = `${BASE}/v1/connections/:id/events`;
const server = setupServer();
// The `eventsource` package (fetch-based, so msw sees it) stands in for the browser's EventSource.
const eventSource: EventSourceFactory = (url) => new EventSource(url) as unknown as EventSourceLike;

beforeAll(() => {
  // msw's sse() needs an EventSource class to exist; Node 20 has none.
  vi.stubGlobal('EventSource', EventSource);
  server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => server.resetHandlers());
afterAll(() => {
  server.close();
  vi.unstubAllGlobals();
});

const status = (connection: Connection) => ({
  id: String(connection.version),
  event: 'status' as const,
  data: JSON.stringify(connection),
});

describe('ProxyClient.watch', () => {
  it('streams status events with a fresh ticket per stream and resumes after the last version', async () => {
    const timers = createManualTimers();
    const streams: URLSearchParams[] = [];
    let tickets = 0;
    server.use(
      http.post(`${BASE}/v1/connections/:id/ticket`, ({ request }) => {
        expect(request.headers.get('authorization')).toBe('Bearer user-token');
        return HttpResponse.json({ ticket: `ticket-${++tickets}`, expiresAt: 'e' });
      }),
      sse<{ status: string }>(EVENTS, ({ request, client }) => {
        streams.push(new URL(request.url).searchParams);
        if (streams.length === 1) {
          client.send(status(makeConnection({ status: 'authorizing', version: 1 })));
          client.send(status(makeConnection({ status: 'processing', version: 2, attempt: 1 })));
          client.send(status(makeConnection({ status: 'authorizing', version: 1 })));
          // The connection drops (a proxy restart, a load balancer timeout).
          setTimeout(() => client.close(), 10);
        } else {
          client.send(status(makeConnection({ status: 'ready', version: 3, attempt: 2 })));
        }
      }),
    );
    const client = createProxyClient({
      baseUrl: BASE,
      getToken: () => 'user-token',
      eventSource,
      timers,
    });
    const updates: Connection[] = [];
    const onError = vi.fn();
    const stop = client.watch('conn_1', (connection) => updates.push(connection), { onError });

    await vi.waitFor(() => expect(timers.pending()).toEqual([2000]));
    expect(updates.map(({ status, version }) => `${status}@${version}`)).toEqual([
      'authorizing@1',
      'processing@2',
    ]);
    timers.advance(2000);
    await vi.waitFor(() => expect(updates).toHaveLength(3));
    expect(updates[2]).toMatchObject({ status: 'ready', version: 3 });
    expect(streams.map((query) => Object.fromEntries(query))).toEqual([
      { ticket: 'ticket-1' },
      { ticket: 'ticket-2', lastEventId: '2' },
    ]);
    expect(timers.pending()).toEqual([]);
    expect(onError).not.toHaveBeenCalled();
    stop();
  });

  it('asks for a ticket again after a failed ticket request, and still streams', async () => {
    const timers = createManualTimers();
    const tickets = [
      () => HttpResponse.error(),
      () => HttpResponse.json({ ticket: 'ticket-2', expiresAt: 'e' }),
    ];
    const streams: string[] = [];
    server.use(
      http.post(`${BASE}/v1/connections/:id/ticket`, () => tickets.shift()?.()),
      sse<{ status: string }>(EVENTS, ({ request, client }) => {
        streams.push(new URL(request.url).search);
        client.send(status(makeConnection({ status: 'ready', version: 1 })));
      }),
    );
    const onUpdate = vi.fn();
    const onError = vi.fn();
    createProxyClient({ baseUrl: BASE, getToken: () => 'tok', eventSource, timers }).watch(
      'conn_1',
      onUpdate,
      { onError },
    );
    await vi.waitFor(() => expect(timers.pending()).toEqual([2000]));
    expect(streams).toEqual([]);
    timers.advance(2000);
    await vi.waitFor(() => expect(onUpdate).toHaveBeenCalledOnce());
    expect(streams).toEqual(['?ticket=ticket-2']);
    expect(onError).not.toHaveBeenCalled();
    expect(timers.pending()).toEqual([]);
  });

  it('opens the stream without a ticket when cookies authenticate', async () => {
    const urls: string[] = [];
    server.use(
      sse<{ status: string }>(EVENTS, ({ request, client }) => {
        urls.push(request.url);
        client.send(status(makeConnection({ status: 'ready', version: 4 })));
      }),
    );
    const onUpdate = vi.fn();
    createProxyClient({ baseUrl: BASE, eventSource }).watch('conn_1', onUpdate);
    await vi.waitFor(() => expect(onUpdate).toHaveBeenCalledOnce());
    expect(urls).toEqual([`${BASE}/v1/connections/conn_1/events?`]);
  });

  it('falls back to polling after 3 failed streams, until a terminal status', async () => {
    const timers = createManualTimers();
    let streams = 0;
    const polled = [
      makeConnection({ status: 'processing', version: 5 }),
      makeConnection({ status: 'processing', version: 5 }),
      makeConnection({
        status: 'failed',
        version: 6,
        error: { code: 'flinks_error', message: 'm', recoverable: true },
      }),
    ];
    server.use(
      http.post(`${BASE}/v1/connections/:id/ticket`, () =>
        HttpResponse.json({ ticket: 't', expiresAt: 'e' }),
      ),
      http.get(EVENTS, () => {
        streams++;
        return HttpResponse.error();
      }),
      http.get(`${BASE}/v1/connections/:id`, () =>
        HttpResponse.json({ connection: polled.shift() }),
      ),
    );
    const client = createProxyClient({
      baseUrl: BASE,
      getToken: () => 'tok',
      eventSource,
      timers,
      pollInterval: 500,
    });
    const updates: Connection[] = [];
    client.watch('conn_1', (connection) => updates.push(connection));
    for (const expected of [1, 2, 3]) {
      await vi.waitFor(() => expect(timers.pending()).toEqual([500]));
      expect(streams).toBe(expected);
      timers.advance(500);
    }
    await vi.waitFor(() => expect(updates).toHaveLength(1));
    for (const remaining of [1, 0]) {
      await vi.waitFor(() => expect(timers.pending()).toEqual([500]));
      timers.advance(500);
      await vi.waitFor(() => expect(polled).toHaveLength(remaining));
    }
    await vi.waitFor(() => expect(timers.pending()).toEqual([]));
    expect(streams).toBe(3);
    expect(updates.map(({ status, version }) => `${status}@${version}`)).toEqual([
      'processing@5',
      'failed@6',
    ]);
  });

  it('polls when there is no EventSource at all', async () => {
    vi.stubGlobal('EventSource', undefined);
    const timers = createManualTimers();
    server.use(
      http.get(`${BASE}/v1/connections/:id`, () =>
        HttpResponse.json({ connection: makeConnection({ status: 'timed_out', version: 9 }) }),
      ),
    );
    const onUpdate = vi.fn();
    createProxyClient({ baseUrl: BASE, timers }).watch('conn_1', onUpdate);
    await vi.waitFor(() => expect(onUpdate).toHaveBeenCalledOnce());
    expect(timers.pending()).toEqual([]);
    vi.stubGlobal('EventSource', EventSource);
  });

  it('keeps polling through network errors and gives up on an error retrying cannot fix', async () => {
    const timers = createManualTimers();
    const answers = [
      () => HttpResponse.error(),
      () =>
        HttpResponse.json(
          { error: { code: 'unauthorized', message: 'Sign in again.', recoverable: false } },
          { status: 401 },
        ),
    ];
    server.use(http.get(`${BASE}/v1/connections/:id`, () => answers.shift()?.()));
    const onError = vi.fn();
    const onUpdate = vi.fn();
    vi.stubGlobal('EventSource', undefined);
    createProxyClient({ baseUrl: BASE, timers }).watch('conn_1', onUpdate, { onError });
    vi.stubGlobal('EventSource', EventSource);
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    await vi.waitFor(() => expect(timers.pending()).toEqual([2000]));
    expect(onError).not.toHaveBeenCalled();
    timers.advance(2000);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    expect(FlinkitError.isInstance(onError.mock.calls[0]?.[0])).toBe(true);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(timers.pending()).toEqual([]);
    expect(onUpdate).not.toHaveBeenCalled();
  });

  it('stops everything on stop()', async () => {
    const timers = createManualTimers();
    const closed = vi.fn();
    const fake: EventSourceLike = {
      readyState: 0,
      onopen: null,
      onerror: null,
      addEventListener: vi.fn(),
      removeEventListener: vi.fn(),
      close: closed,
    };
    const stop = createProxyClient({ baseUrl: BASE, timers, eventSource: () => fake }).watch(
      'conn_1',
      vi.fn(),
    );
    await vi.waitFor(() =>
      expect(fake.addEventListener).toHaveBeenCalledWith('status', expect.any(Function)),
    );
    stop();
    expect(closed).toHaveBeenCalled();
    fake.onerror?.(new Event('error'));
    expect(timers.pending()).toEqual([]);
  });
});
