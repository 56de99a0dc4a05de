import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { freePort } from '@flinkit/test-postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../base/logger';
import { signUserToken } from '../http/auth';
import { startServer } from '../http/server';
import { waitUntil } from './instances';

// Pointed at a Flinks that fails, the proxy answers 502 and its log says why, without a secret.

const SECRET = 'upstream-failures-user-token-secret-0123456789';
const SECRET_KEY = 'sk-upstream-failure-SECRET-0123';
const API_KEY = 'ak-upstream-failure-APIKEY-4567';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen<T extends Server | ReturnType<typeof createServer>>(server: T) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as { port: number }).port;
}

/** A proxy on `apiUrl`, with its log lines captured. */
async function proxyOn(apiUrl: string) {
  const directory = mkdtempSync(join(tmpdir(), 'flinkit-upstream-'));
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const flinks = { apiUrl, customerId: 'c-1', secretKey: SECRET_KEY, apiKey: API_KEY };
  const server = await startServer({
    port: 0,
    userTokenSecret: SECRET,
    flinks: { ...flinks, timeoutMs: 500, maxRetries: 0 },
    connect: { instance: 'toolbox' },
    logger: createLogger({ level: 'debug', destination }),
    engineOptions: {
      databaseUrl: `sqlite:${join(directory, 'db.sqlite')}`,
      encryptionKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
      retryBaseMs: 60_000,
    },
  });
  cleanups.push(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });
  const headers = { authorization: `Bearer ${signUserToken({ userId: 'alice', secret: SECRET })}` };
  return { server, logs, headers };
}

const failures = (logs: string[]) =>
  logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => typeof line.reason === 'string');

async function sessionFailure(apiUrl: string) {
  const { server, logs, headers } = await proxyOn(apiUrl);
  const response = await fetch(`${server.url}/v1/connect/sessions`, { method: 'POST', headers });
  expect(response.status).toBe(502);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
    'upstream_error',
  );
  for (const line of logs) {
    expect(line).not.toContain(SECRET_KEY);
    expect(line).not.toContain(API_KEY);
  }
  return failures(logs);
}

describe('upstream failures in the log', () => {
  it('a refused connection', async () => {
    const port = await freePort();
    expect(await sessionFailure(`http://127.0.0.1:${port}`)).toEqual([
      expect.objectContaining({
        event: 'upstream_failed',
        endpoint: 'GenerateAuthorizeToken',
        reason: 'refused',
        networkCode: 'ECONNREFUSED',
        msg: 'Flinks GenerateAuthorizeToken failed: refused (ECONNREFUSED)',
      }),
    ]);
  });

  it('a host name that does not resolve', async () => {
    expect(await sessionFailure('http://flinks-api.invalid')).toEqual([
      expect.objectContaining({ reason: 'dns', networkCode: 'ENOTFOUND' }),
    ]);
  });

  it('a server that accepts and never answers', async () => {
    const held: Socket[] = [];
    const port = await listen(createTcpServer((socket) => held.push(socket)));
    cleanups.push(() => {
      for (const socket of held) socket.destroy();
    });
    expect(await sessionFailure(`http://127.0.0.1:${port}`)).toEqual([
      expect.objectContaining({ reason: 'timeout', networkCode: null, httpStatus: null }),
    ]);
  });

  it('a TLS handshake with a server that does not speak TLS', async () => {
    const port = await listen(createServer((_request, response) => response.end('plain')));
    expect(await sessionFailure(`https://127.0.0.1:${port}`)).toEqual([
      expect.objectContaining({ reason: 'tls', networkCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }),
    ]);
  });

  it('an HTTP error status with its FlinksCode', async () => {
    const port = await listen(
      createServer((_request, response) => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            HttpStatusCode: 401,
            Message: 'You must provide a valid auth key',
            FlinksCode: 'UNAUTHORIZED',
          }),
        );
      }),
    );
    expect(await sessionFailure(`http://127.0.0.1:${port}`)).toEqual([
      expect.objectContaining({
        reason: 'http_status',
        httpStatus: 401,
        flinksCode: 'UNAUTHORIZED',
        msg: 'Flinks GenerateAuthorizeToken failed: http_status (HTTP 401, UNAUTHORIZED)',
      }),
    ]);
  });

  it('a retrieval step that cannot reach Flinks', async () => {
    const port = await freePort();
    const { server, logs, headers } = await proxyOn(`http://127.0.0.1:${port}`);
    const response = await fetch(`${server.url}/v1/connections`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: 'b5f5c0c4-9d1e-4a55-8f1d-0e6a2c9d7b31' }),
    });
    expect(response.status).toBe(202);
    await waitUntil('the step to fail', () => failures(logs).length > 0, 10_000);
    expect(failures(logs)[0]).toMatchObject({
      reason: 'refused',
      networkCode: 'ECONNREFUSED',
      msg: 'retrieval step will be retried: Flinks GenerateAuthorizeToken failed: refused (ECONNREFUSED)',
    });
    expect(logs.join('\n')).not.toContain('b5f5c0c4');
  });
});
