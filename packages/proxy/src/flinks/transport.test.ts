import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlinksClient } from './client';
import { FlinksApiError } from './errors';
import { createPooledTransport, TransportError } from './transport';

const servers: Server[] = [];
async function closeServers() {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
afterEach(closeServers);

/** A real HTTP server that counts the TCP connections it accepts. */
async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void) {
  let connections = 0;
  const server = createServer(handle);
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, connections: () => connections };
}

const pending = (_request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(202, { 'content-type': 'application/json' });
  response.end('{"HttpStatusCode":202,"FlinksCode":"OPERATION_PENDING"}');
};

describe('createPooledTransport', () => {
  it('opens at most 64 connections for quick calls, however many run at once', async () => {
    const server = await serve(pending);
    const transport = createPooledTransport();
    const request = { method: 'GET' as const, headers: {}, timeoutMs: 10_000 };
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        transport.send(`${server.url}/p/${index}`, request),
      ),
    );
    expect(answers.every((answer) => answer.status === 202)).toBe(true);
    expect(server.connections()).toBeLessThanOrEqual(64);
    await transport.close();
  });

  it('keeps connections open: 200 sequential calls open at most two', async () => {
    const server = await serve(pending);
    const flinks = createFlinksClient({
      apiUrl: server.url,
      customerId: 'c',
      secretKey: 's',
      apiKey: 'k',
    });
    for (let call = 0; call < 200; call++) {
      expect((await flinks.getAccountsDetailAsync(`r${call}`)).type).toBe('pending');
    }
    // One connection carries them all, give or take the one a call opens while the previous
    // answer is still being read.
    expect(server.connections()).toBeLessThanOrEqual(2);
    await flinks.close();
  });

  it('does not make a call wait behind requests the server holds', async () => {
    const held: ServerResponse[] = [];
    const server = await serve((request, response) => {
      if (request.url?.includes('held')) held.push(response);
      else pending(request, response);
    });
    const transport = createPooledTransport();
    const request = { method: 'GET' as const, headers: {}, timeoutMs: 10_000 };
    // More held requests than the quick pool has connections.
    const holding = Array.from({ length: 100 }, (_, index) =>
      transport.send(`${server.url}/held/${index}`, { ...request, mayHold: true }),
    );
    while (held.length < 100) await new Promise((resolve) => setTimeout(resolve, 10));
    const answer = await transport.send(`${server.url}/poll`, request);
    expect(answer.status).toBe(202);
    expect(answer.header('content-type')).toBe('application/json');
    for (const response of held) pending({} as IncomingMessage, response);
    await Promise.all(holding);
    await transport.close();
  });

  it('times out when the answer does not come, as a timed-out FlinksApiError', async () => {
    const server = await serve(() => undefined);
    const flinks = createFlinksClient({
      apiUrl: server.url,
      customerId: 'c',
      secretKey: 's',
      apiKey: 'k',
      timeoutMs: 100,
      maxRetries: 0,
    });
    const error = await flinks.getAccountsDetailAsync('r1').catch((caught: unknown) => caught);
    expect(FlinksApiError.isInstance(error) && error.message).toBe(
      'Flinks GetAccountsDetailAsync did not answer within 100 ms; try again later.',
    );
    await flinks.close();
  });

  it('names a refused connection by its code only', async () => {
    const server = await serve(pending);
    const url = server.url;
    await closeServers();
    const transport = createPooledTransport();
    const error = await transport
      .send(`${url}/x`, { method: 'GET', headers: {}, timeoutMs: 1_000 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ timedOut: false, code: 'ECONNREFUSED' });
    await transport.close();
  });

  it('goes through the global fetch once it has been replaced (msw in an app’s tests)', async () => {
    const server = await serve(pending);
    const transport = createPooledTransport();
    const original = globalThis.fetch;
    const seen: string[] = [];
    globalThis.fetch = (input, init) => {
      seen.push(String(input));
      return original(input, init);
    };
    try {
      const answer = await transport.send(`${server.url}/p/1`, {
        method: 'GET',
        headers: {},
        timeoutMs: 1_000,
      });
      expect(answer.status).toBe(202);
      expect(seen).toEqual([`${server.url}/p/1`]);
    } finally {
      globalThis.fetch = original;
    }
    await transport.send(`${server.url}/p/2`, { method: 'GET', headers: {}, timeoutMs: 1_000 });
    expect(seen).toHaveLength(1);
    await transport.close();
  });
});
