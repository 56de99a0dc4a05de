import { connect, type Socket } from 'node:net';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { signUserToken } from '../http/auth';
import type { RunningServer } from '../http/server';
import type { FakeEngine } from './fake-engine';
import { useFakeServers } from './helpers';
import { waitUntil } from './instances';

// Hostile and unlucky clients over real sockets: Node's fetch (undici, keep-alive) and raw TCP.

const SECRET = 'hostile-clients-user-token-secret-0123456789';
const serve = useFakeServers(SECRET);
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

const auth = (userId = 'alice') => ({
  authorization: `Bearer ${signUserToken({ userId, secret: SECRET })}`,
});

/** A raw TCP connection to the server, kept for cleanup. */
async function rawSocket(server: RunningServer): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  socket.resume(); // flowing, so the end of the connection is seen; a test may pause it
  return socket;
}

const closedWithin = (socket: Socket, ms: number) =>
  new Promise<boolean>((resolve) => {
    if (socket.destroyed || socket.readableEnded) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

async function link(engine: FakeEngine, userId = 'alice') {
  return (await engine.createConnection({ userId, loginId: `login-${userId}` })).connection;
}

describe('keep-alive connections after an early answer', () => {
  it('answers ten ordinary requests on the same agent after a 413, a 401 and a 415 that left their bodies unread', async () => {
    const { server } = await serve();
    const outcomes: Array<number | string> = [];
    const early = [
      // 413: the body limit answers from Content-Length, before reading 2 MB.
      { headers: { ...auth(), 'content-type': 'application/json' }, size: 2 * 1024 * 1024 },
      // 401: no token, answered before the body is read.
      { headers: { 'content-type': 'application/json' }, size: 12 * 1024 },
      // 415 after 401-free auth but a body that is not JSON.
      { headers: { ...auth(), 'content-type': 'text/plain' }, size: 12 * 1024 },
    ];
    for (const { headers, size } of early) {
      const response = await fetch(`${server.url}/v1/connections`, {
        method: 'POST',
        headers,
        body: 'x'.repeat(size),
      });
      outcomes.push(response.status);
      await response.arrayBuffer();
      for (let index = 0; index < 10; index++) {
        outcomes.push(
          await fetch(`${server.url}/v1/connections`, { headers: auth() }).then(
            async (next) => {
              await next.arrayBuffer();
              return next.status;
            },
            (error: Error) => `${error.cause ?? error}`,
          ),
        );
      }
    }
    expect(outcomes).toEqual([
      413,
      ...Array(10).fill(200),
      401,
      ...Array(10).fill(200),
      415,
      ...Array(10).fill(200),
    ]);
  });
});

describe('slow clients', () => {
  it('closes connections whose headers trickle in past headersTimeoutMs, while a normal client gets its status in under a second', async () => {
    const { server, engine } = await serve({ headersTimeoutMs: 2_000, requestTimeoutMs: 5_000 });
    const connection = await link(engine);
    const slow = await Promise.all(Array.from({ length: 200 }, () => rawSocket(server)));
    const header = 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    let sent = 0;
    const drip = setInterval(() => {
      for (const socket of slow) if (!socket.destroyed) socket.write(header[sent] ?? 'a');
      sent += 1;
    }, 1_000);
    try {
      const durations: number[] = [];
      for (let index = 0; index < 5; index++) {
        const started = performance.now();
        const response = await fetch(`${server.url}/v1/connections/${connection.id}`, {
          headers: auth(),
        });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        durations.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(Math.max(...durations)).toBeLessThan(1_000);
      // Every slow connection is cut once its headers are 2 s late (checked each second).
      const closed = await Promise.all(slow.map((socket) => closedWithin(socket, 3_500)));
      expect(closed.filter(Boolean).length).toBe(200);
    } finally {
      clearInterval(drip);
    }
  }, 20_000);

  it('answers 408 and closes a request whose body trickles in past requestTimeoutMs', async () => {
    const { server } = await serve({ headersTimeoutMs: 1_000, requestTimeoutMs: 1_500 });
    const socket = await rawSocket(server);
    let answer = '';
    socket.on('data', (chunk) => {
      answer += String(chunk);
    });
    socket.write(
      `POST /v1/connections HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth().authorization}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
    );
    const drip = setInterval(() => socket.writable && socket.write('{'), 100);
    try {
      expect(await closedWithin(socket, 4_000)).toBe(true);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
  }, 10_000);

  it('closes an idle keep-alive connection after keepAliveTimeoutMs', async () => {
    const { server } = await serve({ keepAliveTimeoutMs: 300 });
    const socket = await rawSocket(server);
    const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await answered;
    const started = Date.now();
    expect(await closedWithin(socket, 2_000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('drops an SSE stream whose client stopped reading once its bounded buffer is full', async () => {
    const { server, engine } = await serve({ sseBufferBytes: 64 * 1024 });
    const connection = await link(engine);
    const socket = await rawSocket(server);
    socket.write(
      `GET /v1/connections/${connection.id}/events HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth().authorization}\r\n\r\n`,
    );
    await waitUntil('the stream to open', () => engine.listenerCount(connection.id) === 1, 5_000);
    socket.pause(); // the client stops reading; the kernel buffers fill, then the proxy's
    const big = 'x'.repeat(8 * 1024);
    let emitted = 0;
    // 256 MB is far beyond any socket buffer: a stream still open then is buffering without bound.
    while (engine.listenerCount(connection.id) > 0 && emitted < 256 * 1024 * 1024) {
      for (let index = 0; index < 64; index++) {
        engine.update(connection.id, { status: 'processing', institution: big });
        emitted += big.length;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(engine.listenerCount(connection.id)).toBe(0);
    await waitUntil(
      'the metrics to drop it',
      () => server.flinkit.metrics.sseClients() === 0,
      5_000,
    );
    // Reading again, the client gets what the kernel held, then the end of the connection.
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    socket.resume();
    expect(await closedWithin(socket, 10_000)).toBe(true);
    expect(received).toBeLessThan(emitted);
  }, 60_000);
});

describe('limits on open SSE streams', () => {
  it('answers 429 too_many_streams past the per-user and the per-process limit, and frees the slot when a stream ends', async () => {
    const { server, engine } = await serve({ sseLimits: { perUser: 2, perProcess: 3 } });
    const open = async (userId: string) => {
      const connection = await link(engine, userId);
      const controller = new AbortController();
      const response = await fetch(`${server.url}/v1/connections/${connection.id}/events`, {
        headers: auth(userId),
        signal: controller.signal,
      });
      return { response, abort: () => controller.abort() };
    };
    const first = await open('alice');
    const second = await open('alice');
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    const third = await open('alice');
    expect(third.response.status).toBe(429);
    expect(third.response.headers.get('retry-after')).toBe('5');
    expect(((await third.response.json()) as { error: { code: string } }).error.code).toBe(
      'too_many_streams',
    );
    expect((await open('bob')).response.status).toBe(200);
    const overProcess = await open('carol');
    expect(overProcess.response.status).toBe(429);
    await overProcess.response.arrayBuffer();
    first.abort();
    await waitUntil('the slot to be freed', () => server.flinkit.metrics.sseClients() === 2, 5_000);
    expect((await open('alice')).response.status).toBe(200);
  });
});

describe("an EventSource's own reconnect", () => {
  it('reopens the stream with its used ticket and Last-Event-ID, and misses no status', async () => {
    const { server, engine } = await serve();
    const connection = await link(engine);
    const issued = await fetch(`${server.url}/v1/connections/${connection.id}/ticket`, {
      method: 'POST',
      headers: auth(),
    });
    const { ticket } = (await issued.json()) as { ticket: string };
    const url = `${server.url}/v1/connections/${connection.id}/events?ticket=${ticket}`;
    const versions: number[] = [];
    const errors: number[] = [];
    const source = new EventSource(url);
    source.addEventListener('status', (event) => {
      versions.push((JSON.parse(event.data) as { version: number }).version);
    });
    source.addEventListener('error', (event) => {
      errors.push((event as { code?: number }).code ?? 0);
    });
    try {
      await waitUntil('the first status', () => versions.length === 1, 5_000);
      // The server ends the stream (a restart, a balancer's idle cut): the EventSource retries.
      server.flinkit.endStreams();
      engine.update(connection.id, { status: 'authorizing' });
      await waitUntil('the reconnect', () => engine.listenerCount(connection.id) === 1, 10_000);
      engine.update(connection.id, { status: 'processing' });
      const done = engine.update(connection.id, { status: 'ready' });
      await waitUntil('the terminal status', () => versions.at(-1) === done.version, 10_000);
      expect(versions).toEqual([1, 2, 3, 4]);
      expect(errors.filter((code) => code === 401)).toEqual([]);
      // The used ticket alone, without Last-Event-ID, opens nothing.
      expect((await fetch(url)).status).toBe(401);
    } finally {
      source.close();
    }
  }, 30_000);
});
