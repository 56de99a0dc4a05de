import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectionResponse } from '@flinkit/core/wire';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeEngine } from '../test/fake-engine';
import { useFakeServers } from '../test/helpers';
import { createFlinkitApp } from './app';
import { signUserToken } from './auth';
import { type RunningServer, startServer } from './server';

const SECRET = 'server-test-user-token-secret-0123456789';
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
const serve = useFakeServers(SECRET);

describe('startServer', () => {
  it('serves over a real socket and, on close, ends open SSE streams and stops listening', async () => {
    const { server, engine } = await serve();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const authorization = `Bearer ${signUserToken({ userId: 'alice', secret: SECRET })}`;
    const created = await fetch(`${server.url}/v1/connections`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: 'login-1' }),
    });
    const { connection } = (await created.json()) as ConnectionResponse;
    const events = await fetch(`${server.url}/v1/connections/${connection.id}/events`, {
      headers: { authorization },
    });
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('event: status'))
      text += new TextDecoder().decode((await reader.read()).value);
    expect(server.flinkit.metrics.sseClients()).toBe(1);

    await server.close();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(engine.listenerCount(connection.id)).toBe(0);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('unsubscribes when the client goes away mid-stream', async () => {
    const { server, engine } = await serve();
    const authorization = `Bearer ${signUserToken({ userId: 'alice', secret: SECRET })}`;
    const { connection } = await engine.createConnection({ userId: 'alice', loginId: 'login-1' });
    const abort = new AbortController();
    const events = await fetch(`${server.url}/v1/connections/${connection.id}/events`, {
      headers: { authorization },
      signal: abort.signal,
    });
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await vi.waitFor(() => expect(engine.listenerCount(connection.id)).toBe(1));
    abort.abort();
    await vi.waitFor(() => {
      expect(engine.listenerCount(connection.id)).toBe(0);
      expect(server.flinkit.metrics.sseClients()).toBe(0);
    });
  });

  it('writes the SSE stream straight to the socket with the same head as the fetch-native app', async () => {
    const engine = createFakeEngine();
    const config = {
      engine,
      userTokenSecret: SECRET,
      allowedOrigins: ['https://app.example'],
      logger: { level: 'silent' as const },
    };
    const server = await startServer({ ...config, port: 0 });
    servers.push(server);
    const authorization = `Bearer ${signUserToken({ userId: 'alice', secret: SECRET })}`;
    const { connection } = await engine.createConnection({ userId: 'alice', loginId: 'login-1' });
    const path = `/v1/connections/${connection.id}/events`;
    const headers = { authorization, origin: 'https://app.example' };
    const overSocket = await fetch(`${server.url}${path}`, { headers });
    const fetchNative = await server.flinkit.fetch(
      new Request(`http://127.0.0.1${path}`, { headers }),
    );
    const head = (response: Response) =>
      [...(response.headers as unknown as Iterable<[string, string]>)].filter(
        ([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name),
      );
    expect(overSocket.status).toBe(200);
    expect(head(overSocket)).toEqual(head(fetchNative));
    expect(overSocket.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const read = async (response: Response) => {
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      while (!text.includes('event: status'))
        text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      return text;
    };
    expect(await read(overSocket)).toBe(await read(fetchNative));
  });

  it('streams SSE as a web stream when a host serves flinkit.app inside its own Hono app on Node', async () => {
    const engine = createFakeEngine();
    const flinkit = createFlinkitApp({
      engine,
      userTokenSecret: SECRET,
      logger: { level: 'silent' },
    });
    const host = new Hono();
    host.route('/flinkit', flinkit.app);
    const node = createServer(getRequestListener(host.fetch));
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = node.address() as AddressInfo;
      const { connection } = await engine.createConnection({ userId: 'alice', loginId: 'login-1' });
      const events = await fetch(
        `http://127.0.0.1:${port}/flinkit/v1/connections/${connection.id}/events`,
        {
          headers: {
            authorization: `Bearer ${signUserToken({ userId: 'alice', secret: SECRET })}`,
          },
        },
      );
      expect(events.status).toBe(200);
      const reader = (events.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      while (!text.includes('event: status')) {
        const { value, done } = await reader.read();
        expect(done).toBe(false);
        text += new TextDecoder().decode(value);
      }
      await reader.cancel();
    } finally {
      node.closeAllConnections();
      await new Promise((resolve) => node.close(resolve));
      await flinkit.close();
    }
  });

  it('fails to start when the engine cannot be created (a bad encryption key)', async () => {
    await expect(
      startServer({
        userTokenSecret: SECRET,
        port: 0,
        logger: { level: 'silent' },
        flinks: { apiUrl: 'http://127.0.0.1:9', customerId: 'c', secretKey: 's', apiKey: 'a' },
        engineOptions: { encryptionKeys: [{ id: 'k1', key: new Uint8Array(5) }] },
        connect: { instance: 'toolbox' },
      }),
    ).rejects.toThrow();
  });
});
