import type { Connection, ConnectionResponse } from '@flinkit/core/wire';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, postJson, TEST_SECRETS } from '../../test/helpers';

type TestApp = ReturnType<typeof createTestApp>;

/** Reads an SSE body chunk by chunk and splits it into messages. */
function sseReader(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    /** The next complete message (`id`, `event`, `data` fields or a comment). */
    async next(): Promise<{ raw: string; id?: string; event?: string; data?: Connection } | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const raw = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            raw
              .split('\n')
              .filter((line) => !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
          ) as Record<string, string>;
          return {
            raw,
            ...(fields.id ? { id: fields.id } : {}),
            ...(fields.event ? { event: fields.event } : {}),
            ...(fields.data ? { data: JSON.parse(fields.data) as Connection } : {}),
          };
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    /** The next status message, skipping `retry:` and comments. */
    async nextStatus() {
      for (;;) {
        const message = await this.next();
        if (message === null || message.event === 'status') return message;
      }
    },
    cancel: () => reader.cancel(),
  };
}

async function link(test: TestApp, user = 'alice') {
  const response = await test.request(
    '/v1/connections',
    postJson({ loginId: TEST_SECRETS.loginId }, { user }),
  );
  return ((await response.json()) as ConnectionResponse).connection;
}

async function ticket(test: TestApp, id: string, user = 'alice') {
  const response = await test.request(`/v1/connections/${id}/ticket`, { method: 'POST', user });
  return ((await response.json()) as { ticket: string }).ticket;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('GET /v1/connections/:id/events', () => {
  it('streams the current status first, then each change, and closes after a terminal status', async () => {
    const test = createTestApp();
    const connection = await link(test);
    const response = await test.request(
      `/v1/connections/${connection.id}/events?ticket=${await ticket(test, connection.id)}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const stream = sseReader(response);
    const first = await stream.nextStatus();
    expect(first).toMatchObject({
      id: '1',
      event: 'status',
      data: { status: 'pending', version: 1 },
    });
    test.engine.update(connection.id, { status: 'authorizing' });
    test.engine.update(connection.id, {
      status: 'processing',
      attempt: 1,
      nextPollAt: '2026-01-01T00:00:10.000Z',
    });
    expect((await stream.nextStatus())?.data).toMatchObject({ status: 'authorizing', version: 2 });
    expect((await stream.nextStatus())?.data).toMatchObject({
      status: 'processing',
      attempt: 1,
      version: 3,
    });
    test.engine.complete(connection.id, { Accounts: [] });
    expect(await stream.nextStatus()).toMatchObject({ id: '4', data: { status: 'ready' } });
    expect(await stream.next()).toBeNull();
    expect(test.engine.listenerCount(connection.id)).toBe(0);
    expect(test.flinkit.metrics.sseClients()).toBe(0);
  });

  it('resumes after Last-Event-ID: sends the current state only when newer', async () => {
    const test = createTestApp();
    const connection = await link(test);
    test.engine.update(connection.id, { status: 'authorizing' });
    const upToDate = await test.request(`/v1/connections/${connection.id}/events`, {
      user: 'alice',
      headers: { 'last-event-id': '2' },
    });
    const stream = sseReader(upToDate);
    test.engine.update(connection.id, { status: 'processing' });
    // The first status seen is version 3: version 2 was not repeated.
    expect(await stream.nextStatus()).toMatchObject({ id: '3', data: { status: 'processing' } });
    await stream.cancel();

    const behind = await test.request(`/v1/connections/${connection.id}/events?lastEventId=1`, {
      user: 'alice',
    });
    expect(await sseReader(behind).nextStatus()).toMatchObject({ id: '3' });
  });

  it('answers 204 to a client that already has the terminal status, so EventSource stops', async () => {
    const test = createTestApp();
    const connection = await link(test);
    const done = test.engine.complete(connection.id, {});
    const response = await test.request(`/v1/connections/${connection.id}/events`, {
      user: 'alice',
      headers: { 'last-event-id': String(done.version) },
    });
    expect(response.status).toBe(204);
  });

  it('sends the terminal status and closes at once when it is already terminal', async () => {
    const test = createTestApp();
    const connection = await link(test);
    test.engine.update(connection.id, {
      status: 'failed',
      error: {
        code: 'flinks_error',
        message: 'x',
        recoverable: false,
        flinksCode: 'DISABLED_LOGIN',
      },
    });
    const stream = sseReader(
      await test.request(`/v1/connections/${connection.id}/events`, { user: 'alice' }),
    );
    expect((await stream.nextStatus())?.data).toMatchObject({
      status: 'failed',
      error: { flinksCode: 'DISABLED_LOGIN' },
    });
    expect(await stream.next()).toBeNull();
  });

  it('sends a heartbeat comment every interval', async () => {
    vi.useFakeTimers();
    const test = createTestApp({ heartbeatMs: 15_000 });
    const connection = await link(test);
    const stream = sseReader(
      await test.request(`/v1/connections/${connection.id}/events`, { user: 'alice' }),
    );
    expect((await stream.next())?.raw).toBe('retry: 3000');
    await stream.nextStatus();
    await vi.advanceTimersByTimeAsync(15_000);
    expect((await stream.next())?.raw).toBe(': ping');
    await vi.advanceTimersByTimeAsync(15_000);
    expect((await stream.next())?.raw).toBe(': ping');
    await stream.cancel();
  });

  it('beats every open stream from one timer, each within an interval of opening', async () => {
    vi.useFakeTimers();
    const test = createTestApp({ heartbeatMs: 15_000 });
    const open = async () => {
      const connection = await link(test);
      const stream = sseReader(
        await test.request(`/v1/connections/${connection.id}/events`, { user: 'alice' }),
      );
      await stream.nextStatus();
      return stream;
    };
    const timers = vi.getTimerCount();
    const first = await open();
    const withOne = vi.getTimerCount();
    await vi.advanceTimersByTimeAsync(5_000);
    const others = [await open(), await open()];
    expect(vi.getTimerCount()).toBe(withOne);
    await vi.advanceTimersByTimeAsync(10_000);
    for (const stream of [first, ...others]) expect((await stream.next())?.raw).toBe(': ping');
    for (const stream of [first, ...others]) await stream.cancel();
    expect(vi.getTimerCount()).toBe(timers);
  });

  it('unsubscribes and stops counting when the client disconnects', async () => {
    const test = createTestApp();
    const connection = await link(test);
    const stream = sseReader(
      await test.request(`/v1/connections/${connection.id}/events`, { user: 'alice' }),
    );
    await stream.nextStatus();
    expect(test.engine.listenerCount(connection.id)).toBe(1);
    expect(test.flinkit.metrics.sseClients()).toBe(1);
    await stream.cancel();
    expect(test.engine.listenerCount(connection.id)).toBe(0);
    expect(test.flinkit.metrics.sseClients()).toBe(0);
  });

  it('ends open streams when the app closes, telling the client to reconnect', async () => {
    const test = createTestApp();
    const connection = await link(test);
    const stream = sseReader(
      await test.request(`/v1/connections/${connection.id}/events`, { user: 'alice' }),
    );
    await stream.nextStatus();
    await test.flinkit.close();
    const last = await stream.next();
    expect(last?.event).toBe('reconnect');
    expect(last?.raw).toMatch(/^retry: 1000$/m);
    expect(await stream.next()).toBeNull();
    expect(test.engine.listenerCount(connection.id)).toBe(0);
  });

  it('accepts a ticket once, for its own connection only', async () => {
    const test = createTestApp();
    const connection = await link(test);
    const other = (await test
      .request('/v1/connections', postJson({ loginId: 'second-login' }, { user: 'alice' }))
      .then((r) => r.json())) as ConnectionResponse;
    const one = await ticket(test, connection.id);
    expect(
      (await test.request(`/v1/connections/${other.connection.id}/events?ticket=${one}`)).status,
    ).toBe(401);
    // Consumed by the failed attempt above.
    expect(
      (await test.request(`/v1/connections/${connection.id}/events?ticket=${one}`)).status,
    ).toBe(401);
    const two = await ticket(test, connection.id);
    const ok = await test.request(`/v1/connections/${connection.id}/events?ticket=${two}`);
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
    const reused = await test.request(`/v1/connections/${connection.id}/events?ticket=${two}`);
    expect(reused.status).toBe(401);
    expect(await reused.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses an expired ticket', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const test = createTestApp({}, { now: () => now });
    const connection = await link(test);
    const expiring = await ticket(test, connection.id);
    now += 60_001;
    expect(
      (await test.request(`/v1/connections/${connection.id}/events?ticket=${expiring}`)).status,
    ).toBe(401);
  });
});
