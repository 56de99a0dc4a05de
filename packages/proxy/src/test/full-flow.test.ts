import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AccountsResponse, Connection, ConnectionResponse } from '@flinkit/core/wire';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import { freePort } from '@flinkit/test-postgres';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountsDetailEvent } from '../base/forward-webhook';
import { verifyForwardedWebhook } from '../base/forward-webhook';
import { createLogger } from '../base/logger';
import { createFlinkitApp } from '../http/app';
import { signUserToken } from '../http/auth';
import { type RunningServer, startServer } from '../http/server';

const USER_SECRET = 'full-flow-user-token-secret-0123456789';
const FORWARD_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const WEBHOOK_SECRET = 'full-flow-flinks-webhook-secret';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The host app's webhook receiver, on a real socket. */
async function startReceiver() {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200).end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/flinkit`,
    received,
    async next() {
      while (received.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
      return received[0] as { headers: IncomingHttpHeaders; body: string };
    },
  };
}

async function startProxy(
  sim: Simulator,
  options: { port?: number; forwardUrl?: string; logs: string[] },
) {
  const directory = mkdtempSync(join(tmpdir(), 'flinkit-flow-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  const flinks = {
    apiUrl: sim.apiUrl,
    customerId: sim.customerId,
    secretKey: sim.secretKey,
    apiKey: sim.apiKey,
  };
  const server: RunningServer = await startServer({
    port: options.port ?? 0,
    flinks,
    engineOptions: {
      databaseUrl: `sqlite:${join(directory, 'flinkit.db')}`,
      encryptionKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
      pollIntervalMs: 50,
      pollTimeoutMs: 60_000,
    },
    connect: { url: sim.connectUrl, demo: true },
    userTokenSecret: USER_SECRET,
    webhookSecret: WEBHOOK_SECRET,
    ...(options.forwardUrl ? { forward: { url: options.forwardUrl, secret: FORWARD_SECRET } } : {}),
    logger: createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk, _encoding, callback) {
          options.logs.push(String(chunk));
          callback();
        },
      }),
    }),
  });
  cleanups.push(() => server.close());
  const token = signUserToken({ userId: 'alice', secret: USER_SECRET });
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
    });
  return { server, call };
}

/** Reads SSE status events from a real HTTP response until the stream ends. */
async function readStatuses(response: Response): Promise<Connection[]> {
  const statuses: Connection[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = message.split('\n').find((line) => line.startsWith('data: '));
      if (data && message.includes('event: status'))
        statuses.push(JSON.parse(data.slice(6)) as Connection);
      end = buffer.indexOf('\n\n');
    }
  }
  return statuses;
}

describe('full flow over real HTTP: simulator + proxy + host receiver', () => {
  it('session → connection → SSE until ready → accounts summary → signed forward webhook', async () => {
    const logs: string[] = [];
    const receiver = await startReceiver();
    const sim = await startSimulator({ processingMs: 300 });
    cleanups.push(() => sim.close());
    const { call, server } = await startProxy(sim, { forwardUrl: receiver.url, logs });

    const session = (await (
      await call('/v1/connect/sessions', { method: 'POST', body: '{}' })
    ).json()) as { url: string };
    expect(session.url.startsWith(sim.connectUrl)).toBe(true);
    expect((await fetch(session.url)).status).toBe(200);

    const loginId = sim.createLogin('greatday_nomfa');
    const created = await call('/v1/connections', {
      method: 'POST',
      body: JSON.stringify({ loginId, institution: 'FlinksCapital' }),
    });
    expect(created.status).toBe(202);
    const { connection } = (await created.json()) as ConnectionResponse;
    const again = (await (
      await call('/v1/connections', { method: 'POST', body: JSON.stringify({ loginId }) })
    ).json()) as ConnectionResponse;
    expect(again.connection.id).toBe(connection.id);

    const { ticket } = (await (
      await call(`/v1/connections/${connection.id}/ticket`, { method: 'POST' })
    ).json()) as { ticket: string };
    // EventSource sends no headers: the ticket alone authenticates the stream.
    const events = await fetch(
      `${server.url}/v1/connections/${connection.id}/events?ticket=${ticket}`,
    );
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const statuses = await readStatuses(events);
    expect(statuses.at(-1)?.status).toBe('ready');
    const versions = statuses.map((status) => status.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));

    const accounts = (await (
      await call(`/v1/connections/${connection.id}/accounts`)
    ).json()) as AccountsResponse;
    expect(accounts.view).toBe('summary');
    if (accounts.view !== 'summary') throw new Error('expected a summary');
    expect(accounts.accounts.length).toBeGreaterThan(0);
    // The simulator's accounts all have numbers: each shows as its last four digits only.
    for (const account of accounts.accounts) expect(account.maskedNumber).toMatch(/^•••\d{4}$/);

    const forwarded = await receiver.next();
    const event = verifyForwardedWebhook({
      body: forwarded.body,
      headers: forwarded.headers,
      secret: FORWARD_SECRET,
    });
    expect(event.data).toMatchObject({ userId: 'alice', connectionId: connection.id });
    expect(Array.isArray(event.data.payload.Accounts)).toBe(true);

    // The logs are there (a request line per call at least) and carry none of the secrets.
    const everything = logs.join('');
    expect(everything).toContain(`"path":"/v1/connections/${connection.id}/accounts"`);
    expect(everything).toContain('"msg":"retrieval completed"');
    for (const secret of [loginId, sim.secretKey, sim.apiKey, ticket])
      expect(everything).not.toContain(secret);
  }, 30_000);

  it('shows the institution Flinks names, never the one the browser claimed', async () => {
    const sim = await startSimulator({ processingMs: 600_000 });
    cleanups.push(() => sim.close());
    const { call, server } = await startProxy(sim, { logs: [] });
    // The customer linked at TD; a forged REDIRECT claims another bank, with markup.
    const loginId = sim.createLogin('greatday_nomfa', { institution: 'TD' });
    const created = await call('/v1/connections', {
      method: 'POST',
      body: JSON.stringify({ loginId, institution: '<img src=x onerror=alert(1)>RBC' }),
    });
    expect(created.status).toBe(202);
    const { connection } = (await created.json()) as ConnectionResponse;
    // Before Flinks has answered, the connection names no institution at all.
    expect(connection.institution).toBeNull();

    const { ticket } = (await (
      await call(`/v1/connections/${connection.id}/ticket`, { method: 'POST' })
    ).json()) as { ticket: string };
    const events = await fetch(
      `${server.url}/v1/connections/${connection.id}/events?ticket=${ticket}`,
    );
    const reader = events.body?.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    // Authorize answered (the retrieval waits on GetAccountsDetail): Flinks named TD.
    while (!seen.includes('"status":"processing"')) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) throw new Error('the stream ended before processing');
      seen += decoder.decode(chunk.value, { stream: true });
    }
    await reader?.cancel();
    const status = (await (
      await call(`/v1/connections/${connection.id}`)
    ).json()) as ConnectionResponse;
    expect(status.connection.institution).toBe('TD');
    expect(JSON.stringify(status)).not.toContain('RBC');

    const requestId = sim
      .requests()
      .find((entry) => entry.endpoint === 'GetAccountsDetail' && entry.requestId)?.requestId;
    if (!requestId) throw new Error('the proxy never called GetAccountsDetail');
    sim.completeRequest(requestId);
    const deadline = Date.now() + 20_000;
    let ready: ConnectionResponse = status;
    while (ready.connection.status !== 'ready') {
      if (Date.now() > deadline) throw new Error('the retrieval never completed');
      await new Promise((resolve) => setTimeout(resolve, 50));
      ready = (await (await call(`/v1/connections/${connection.id}`)).json()) as ConnectionResponse;
    }
    expect(ready.connection.institution).toBe('TD');
    const accounts = (await (
      await call(`/v1/connections/${connection.id}/accounts`)
    ).json()) as AccountsResponse;
    expect(accounts.institution).toBe('TD');

    // A refresh keeps Flinks' answer while it runs, and a new claim changes nothing.
    const refreshed = (await (
      await call('/v1/connections', {
        method: 'POST',
        body: JSON.stringify({ loginId, institution: 'BMO' }),
      })
    ).json()) as ConnectionResponse;
    expect(refreshed.connection.institution).toBe('TD');
  }, 30_000);

  it('completes from a signed Flinks webhook before polling would', async () => {
    const logs: string[] = [];
    const port = await freePort();
    const sim = await startSimulator({
      processingMs: 600_000,
      webhook: { url: `http://127.0.0.1:${port}/v1/webhooks/flinks`, secret: WEBHOOK_SECRET },
    });
    cleanups.push(() => sim.close());
    const { call } = await startProxy(sim, { port, logs });
    const loginId = sim.createLogin('greatday_nomfa');
    const { connection } = (await (
      await call('/v1/connections', { method: 'POST', body: JSON.stringify({ loginId }) })
    ).json()) as ConnectionResponse;
    const events = call(`/v1/connections/${connection.id}/events`).then(readStatuses);
    let requestId: string | null = null;
    const deadline = Date.now() + 20_000;
    while (requestId === null) {
      requestId =
        sim.requests().find((entry) => entry.endpoint === 'GetAccountsDetail' && entry.requestId)
          ?.requestId ?? null;
      if (requestId !== null) break;
      if (Date.now() > deadline) throw new Error('the proxy never called GetAccountsDetail');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await sim.sendWebhook(requestId)).toMatchObject({ delivered: true });
    const statuses = await events;
    expect(statuses.at(-1)?.status).toBe('ready');
    expect(logs.join('')).toContain('"outcome":"completed"');
    const accounts = (await (
      await call(`/v1/connections/${connection.id}/accounts`)
    ).json()) as AccountsResponse;
    expect(accounts.view).toBe('summary');
    if (accounts.view !== 'summary') throw new Error('expected a summary');
    expect(accounts.accounts.length).toBeGreaterThan(0);
  }, 30_000);

  it('embedded: authenticate + onAccountsDetail, served through app.fetch', async () => {
    const sim = await startSimulator({ processingMs: 200 });
    cleanups.push(() => sim.close());
    const directory = mkdtempSync(join(tmpdir(), 'flinkit-embedded-'));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    let delivered: (event: AccountsDetailEvent) => void = () => {};
    const delivery = new Promise<AccountsDetailEvent>((resolve) => {
      delivered = resolve;
    });
    const flinkit = createFlinkitApp({
      flinks: {
        apiUrl: sim.apiUrl,
        customerId: sim.customerId,
        secretKey: sim.secretKey,
        apiKey: sim.apiKey,
      },
      engineOptions: {
        databaseUrl: `sqlite:${join(directory, 'flinkit.db')}`,
        encryptionKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
        pollIntervalMs: 50,
      },
      connect: { url: sim.connectUrl },
      authenticate: (request) =>
        request.headers.get('x-session') === 's-bob' ? { userId: 'bob' } : null,
      onAccountsDetail: (event) => delivered(event),
      logger: { level: 'silent' },
    });
    cleanups.push(() => flinkit.close());
    await flinkit.ready;
    const response = await flinkit.fetch(
      new Request('http://host/v1/connections', {
        method: 'POST',
        headers: { 'x-session': 's-bob', 'content-type': 'application/json' },
        body: JSON.stringify({ loginId: sim.createLogin('greatday_nomfa') }),
      }),
    );
    expect(response.status).toBe(202);
    const { connection } = (await response.json()) as ConnectionResponse;
    const event = await delivery;
    expect(event).toMatchObject({ userId: 'bob', connectionId: connection.id });
    expect(Array.isArray(event.payload.Accounts)).toBe(true);
  }, 30_000);
});
