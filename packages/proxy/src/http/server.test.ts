import type { ConnectionResponse } from '@flinkit/core/wire';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeEngine } from '../test/fake-engine';
import { signUserToken } from './auth';
import { type RunningServer, startServer } from './server';

const SECRET = 'server-test-user-token-secret-0123456789';
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe('startServer', () => {
  it('serves over a real socket and, on close, ends open SSE streams and stops listening', async () => {
    const engine = createFakeEngine();
    const server = await startServer({
      engine,
      userTokenSecret: SECRET,
      port: 0,
      logger: { level: 'silent' },
    });
    servers.push(server);
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
    const engine = createFakeEngine();
    const server = await startServer({
      engine,
      userTokenSecret: SECRET,
      port: 0,
      logger: { level: 'silent' },
    });
    servers.push(server);
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
