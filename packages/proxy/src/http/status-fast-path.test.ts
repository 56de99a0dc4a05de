import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFakeServers } from '../test/helpers';
import { signUserToken } from './auth';

const SECRET = 'fast-path-test-user-token-secret-0123456789';
const ORIGIN = 'https://app.example.com';
const serve = useFakeServers(SECRET);
const plainServers: Server[] = [];
afterEach(async () => {
  for (const server of plainServers.splice(0)) {
    await new Promise((resolve) => server.close(resolve));
  }
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a fresh socket, answered as raw status, headers (no `date`) and body. */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  agent: Agent | false = false,
) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const outgoing = request(`${base}${path}`, { method, headers, agent }, (incoming) => {
      let body = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => {
        body += chunk;
      });
      incoming.on('end', () => {
        const { date: _date, ...rest } = incoming.headers;
        resolve({ status: incoming.statusCode ?? 0, headers: rest, body });
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * The proxy from `startServer` (with its fast path), and the same app served the plain
 * `@hono/node-server` way (every request through Hono), with its log lines collected.
 */
async function twoWays() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const { server, engine } = await serve({
    allowedOrigins: [ORIGIN],
    logger: { level: 'info', destination },
  });
  const plain = createServer(getRequestListener(server.flinkit.app.fetch));
  plainServers.push(plain);
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  const hono = vi.spyOn(server.flinkit.app, 'fetch');
  return { fastUrl: server.url, plainUrl, engine, hono, lines };
}

const bearer = (userId: string) => `Bearer ${signUserToken({ userId, secret: SECRET })}`;

describe('the status route without Hono', () => {
  it('answers a user their connection with the bytes, headers and log line Hono would', async () => {
    const { fastUrl, plainUrl, engine, hono, lines } = await twoWays();
    const { connection } = await engine.createConnection({ userId: 'alice', loginId: 'login-1' });
    const cases: Array<[string, Record<string, string>]> = [
      [`/v1/connections/${connection.id}`, { authorization: bearer('alice') }],
      [`/v1/connections/${connection.id}`, { authorization: bearer('alice'), origin: ORIGIN }],
      [
        `/v1/connections/${connection.id}`,
        { authorization: bearer('alice'), origin: 'https://evil.example' },
      ],
      [`/v1/connections/${connection.id}?since=1`, { authorization: bearer('alice') }],
    ];
    for (const [path, headers] of cases) {
      const viaHono = await send(plainUrl, 'GET', path, headers);
      hono.mockClear();
      const fast = await send(fastUrl, 'GET', path, headers);
      expect(hono).not.toHaveBeenCalled();
      expect(fast.status).toBe(200);
      expect(fast).toEqual(viaHono);
    }
    expect(
      (await send(fastUrl, 'GET', cases[1]?.[0] ?? '', cases[1]?.[1] ?? {})).headers[
        'access-control-allow-origin'
      ],
    ).toBe(ORIGIN);
    const requestLines = lines.filter((line) => line.msg === 'request');
    expect(requestLines).toHaveLength(cases.length * 2 + 1);
    for (const line of requestLines) {
      expect(line).toMatchObject({
        method: 'GET',
        path: `/v1/connections/${connection.id}`,
        status: 200,
      });
      expect(line.durationMs).toEqual(expect.any(Number));
    }
  });

  it('leaves every other answer to Hono: no token, a bad token, a bad id, another user, another method', async () => {
    const { fastUrl, plainUrl, engine, hono } = await twoWays();
    const { connection } = await engine.createConnection({ userId: 'alice', loginId: 'login-1' });
    const own = `/v1/connections/${connection.id}`;
    const cases: Array<[string, string, Record<string, string>, number]> = [
      ['GET', own, {}, 401],
      ['GET', own, { authorization: 'Bearer not-a-token' }, 401],
      ['GET', own, { authorization: `${bearer('alice')}x` }, 401],
      ['GET', own, { authorization: bearer('bob') }, 404],
      ['GET', '/v1/connections/no-such-connection', { authorization: bearer('alice') }, 404],
      ['GET', '/v1/connections/bad%20id', { authorization: bearer('alice') }, 404],
      ['GET', `${own}/`, { authorization: bearer('alice') }, 404],
      ['HEAD', own, { authorization: bearer('alice') }, 200],
      ['PUT', own, { authorization: bearer('alice') }, 405],
    ];
    for (const [method, path, headers, status] of cases) {
      const viaHono = await send(plainUrl, method, path, headers);
      hono.mockClear();
      const fast = await send(fastUrl, method, path, headers);
      expect(hono, `${method} ${path}`).toHaveBeenCalledTimes(1);
      expect(fast.status, `${method} ${path}`).toBe(status);
      expect(fast, `${method} ${path}`).toEqual(viaHono);
    }
  });

  it('is not used while the server drains: a kept-alive client gets the 503 that says so', async () => {
    const { server, engine } = await serve();
    const { connection } = await engine.createConnection({ userId: 'alice', loginId: 'login-1' });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const path = `/v1/connections/${connection.id}`;
    const headers = { authorization: bearer('alice') };
    expect((await send(server.url, 'GET', path, headers, agent)).status).toBe(200);
    const closing = server.close();
    const answer = await send(server.url, 'GET', path, headers, agent);
    await closing;
    agent.destroy();
    expect(answer.status).toBe(503);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'shutting_down' } });
  });
});
