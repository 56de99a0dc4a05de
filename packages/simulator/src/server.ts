import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleApiRequest, settleOutcome } from './api.js';
import type { createConnectPage } from './connect-page.js';
import type { SimulatorState } from './state.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** A listening node:http server and a close that ends every socket. */
export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Serves the API (`/v3/…`) and the iframe (`/v2/…`) of `state` on 127.0.0.1:`port`. */
export async function listen(
  state: SimulatorState,
  page: ReturnType<typeof createConnectPage>,
  port: number,
): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const abort = new AbortController();
  const server = createServer((request, response) => {
    handle(state, page, request, response, abort.signal).catch(() => {
      if (!response.headersSent)
        sendJson(response, 500, {
          HttpStatusCode: 500,
          FlinksCode: 'AGGREGATION_ERROR',
          Message: 'Simulator failure.',
        });
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        abort.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function handle(
  state: SimulatorState,
  page: ReturnType<typeof createConnectPage>,
  request: IncomingMessage,
  response: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://simulator').pathname;
  const method = request.method ?? 'GET';
  const body = await readBody(request);
  if (body === null) {
    sendJson(response, 413, {
      HttpStatusCode: 413,
      FlinksCode: 'INVALID_REQUEST',
      Message: 'The body is larger than 1 MiB.',
    });
    return;
  }
  if (path.startsWith('/v3/')) {
    const first = handleApiRequest(state, { method, path, headers: flatHeaders(request), body });
    if (first.delayMs > 0) await sleep(first.delayMs, undefined, { signal }).catch(() => undefined);
    // close() aborts state.shutdown too, which ends the holds: no listener per request here.
    const outcome = await settleOutcome(state, first);
    if (!outcome || outcome.type === 'reset' || signal.aborted) {
      request.socket.destroy();
      return;
    }
    response.writeHead(outcome.status, outcome.headers);
    response.end(outcome.body);
    return;
  }
  const pageResponse = await page.handle(method, path, body);
  if (pageResponse) {
    response.writeHead(pageResponse.status, pageResponse.headers);
    response.end(method === 'HEAD' ? undefined : pageResponse.body);
    return;
  }
  if (path === '/v2') {
    response.writeHead(301, { location: '/v2/' }).end();
    return;
  }
  sendJson(response, 404, {
    HttpStatusCode: 404,
    FlinksCode: 'NOT_FOUND',
    Message: `No route at ${path}: the API lives under /v3/{customerId}/BankingServices and the iframe at /v2/.`,
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function flatHeaders(request: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The body as text; null when over the limit. */
async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
