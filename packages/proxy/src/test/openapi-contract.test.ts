import { connect } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { KeyMissingError } from '../base/crypto';
import { FlinksApiError } from '../flinks/errors';
import { signUserToken } from '../http/auth';
import type { RunningServer, ServerConfig } from '../http/server';
import type { FakeEngine } from './fake-engine';
import { useFakeServers } from './helpers';

// Every status and error code a route answers, driven over a real socket, must be declared for
// that operation in GET /v1/openapi.json.

const SECRET = 'openapi-contract-user-token-secret-0123456789';

interface Answer {
  operation: string;
  status: number;
  code: string | null;
}
const answers: Answer[] = [];

const start = useFakeServers(SECRET);

async function serve(overrides: Partial<ServerConfig> = {}) {
  const { server, engine } = await start({
    rateLimits: {
      sessions: { limit: 1, windowMs: 60_000 },
      connections: { limit: 2, windowMs: 60_000 },
    },
    sseLimits: { perUser: 1 },
    ...overrides,
  });
  const { connection } = await engine.createConnection({ userId: 'alice', loginId: 'login-1' });
  return { server, engine, id: connection.id };
}

const token = (userId = 'alice') => `Bearer ${signUserToken({ userId, secret: SECRET })}`;

/** Sends a request and records (operation, status, error code). */
async function send(
  server: RunningServer,
  operation: string,
  path: string,
  init: RequestInit & { user?: string | null; json?: unknown } = {},
) {
  const { user = 'alice', json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (user !== null) headers.set('authorization', token(user));
  if (json !== undefined) headers.set('content-type', 'application/json');
  const method = operation.split(' ')[0] as string;
  const response = await fetch(`${server.url}${path}`, {
    ...rest,
    method,
    headers,
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  let text = '';
  if (response.headers.get('content-type')?.startsWith('application/json')) {
    text = await response.text();
  } else {
    await response.body?.cancel();
  }
  const code = text
    ? ((JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null)
    : null;
  answers.push({ operation, status: response.status, code });
  return response;
}

const failing = (engine: FakeEngine, method: keyof FakeEngine, error: unknown) => {
  (engine as unknown as Record<string, unknown>)[method] = async () => {
    throw error;
  };
};

describe('the OpenAPI document', () => {
  it('declares every status and error code the routes answer', async () => {
    const a = await serve();
    const connections = 'POST /v1/connections';
    await send(a.server, connections, '/v1/connections', { user: null, json: { loginId: 'x' } });
    await send(a.server, connections, '/v1/connections', { json: { loginId: '' } });
    await send(a.server, connections, '/v1/connections', {
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    await send(a.server, connections, '/v1/connections', {
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    await send(a.server, connections, '/v1/connections', { json: { loginId: 'x'.repeat(20_000) } });
    for (let index = 0; index < 3; index++) {
      await send(a.server, connections, '/v1/connections', { json: { loginId: `l-${index}` } });
    }
    await send(a.server, 'GET /v1/connections', '/v1/connections', { user: null });
    await send(a.server, 'GET /v1/connections', '/v1/connections');
    const byId = `/v1/connections/${a.id}`;
    await send(a.server, 'GET /v1/connections/{id}', '/v1/connections/nope');
    await send(a.server, 'GET /v1/connections/{id}', byId, { user: 'bob' });
    await send(a.server, 'GET /v1/connections/{id}', byId);
    await send(a.server, 'POST /v1/connections/{id}/refresh', '/v1/connections/nope/refresh', {
      user: 'carol',
    });
    await send(a.server, 'POST /v1/connections/{id}/refresh', `${byId}/refresh`, { user: null });
    await send(a.server, 'POST /v1/connections/{id}/refresh', `${byId}/refresh`, { user: 'carol' });
    await send(a.server, 'POST /v1/connections/{id}/ticket', `${byId}/ticket`, { user: 'bob' });
    await send(a.server, 'POST /v1/connections/{id}/ticket', `${byId}/ticket`);
    await send(a.server, 'GET /v1/connections/{id}/events', `${byId}/events?ticket=used`, {
      user: null,
    });
    await send(a.server, 'GET /v1/connections/{id}/events', `${byId}/events`, { user: 'bob' });
    const open = new AbortController();
    await send(a.server, 'GET /v1/connections/{id}/events', `${byId}/events`, {
      signal: open.signal,
    });
    await send(a.server, 'GET /v1/connections/{id}/events', `${byId}/events`);
    open.abort();
    await send(a.server, 'GET /v1/connections/{id}/accounts', `${byId}/accounts`);
    await send(a.server, 'GET /v1/connections/{id}/accounts', `${byId}/accounts?view=raw`);
    await send(a.server, 'GET /v1/connections/{id}/accounts', `${byId}/accounts?view=full`);
    a.engine.complete(a.id, { Accounts: [] });
    await send(a.server, 'GET /v1/connections/{id}/accounts', `${byId}/accounts`);
    await send(a.server, 'GET /v1/connections/{id}/accounts', `${byId}/accounts`, { user: null });
    await send(a.server, 'DELETE /v1/connections/{id}', byId, { user: 'bob' });
    await send(a.server, 'DELETE /v1/connections/{id}', byId, { user: null });
    await send(a.server, 'POST /v1/connect/sessions', '/v1/connect/sessions', { user: null });
    await send(a.server, 'POST /v1/connect/sessions', '/v1/connect/sessions', { json: {} });
    await send(a.server, 'POST /v1/connect/sessions', '/v1/connect/sessions', {
      json: { language: 'de' },
    });
    await send(a.server, 'POST /v1/webhooks/flinks', '/v1/webhooks/flinks', {
      user: null,
      json: {},
    });
    await send(a.server, 'GET /readyz', '/readyz');
    await send(a.server, 'GET /healthz', '/healthz');
    await send(a.server, 'GET /metrics', '/metrics');
    await send(a.server, 'GET /v1/openapi.json', '/v1/openapi.json');

    // Upstream and webhook failures, with the settings that allow them.
    const b = await serve({
      webhookSecret: 'openapi-webhook-secret',
      connect: { instance: 'toolbox' },
      deleteUpstream: true,
      mintAuthorizeToken: async () => {
        throw new Error('unreachable');
      },
    });
    await send(b.server, 'POST /v1/connect/sessions', '/v1/connect/sessions', { json: {} });
    await send(b.server, 'POST /v1/webhooks/flinks', '/v1/webhooks/flinks', {
      user: null,
      json: {},
    });
    await send(b.server, 'POST /v1/webhooks/flinks', '/v1/webhooks/flinks', {
      user: null,
      body: 'x'.repeat(21 * 1024 * 1024),
      headers: { 'content-type': 'application/json' },
    });
    failing(
      b.engine,
      'deleteConnection',
      new FlinksApiError({
        kind: 'transient',
        endpoint: 'DeleteCard',
        flinksCode: 'RETRY_LATER',
        httpStatus: 500,
        recoverable: true,
        message: 'Flinks DeleteCard failed.',
      }),
    );
    await send(b.server, 'DELETE /v1/connections/{id}', `/v1/connections/${b.id}`);
    b.engine.complete(b.id, { Accounts: [] });
    failing(b.engine, 'getPayload', new KeyMissingError('k0'));
    await send(b.server, 'GET /v1/connections/{id}/accounts', `/v1/connections/${b.id}/accounts`);
    failing(b.engine, 'listConnections', new Error('boom'));
    await send(b.server, 'GET /v1/connections', '/v1/connections');
    const readonly = new BetterSqlite3.SqliteError(
      'attempt to write a readonly database',
      'SQLITE_READONLY',
    );
    failing(b.engine, 'createConnection', readonly);
    await send(b.server, 'POST /v1/connections', '/v1/connections', {
      user: 'dave',
      json: { loginId: 'l' },
    });
    b.engine.ready = false;
    await send(b.server, 'GET /readyz', '/readyz');

    // A request on a kept-alive connection while the server shuts down.
    const c = await serve();
    const socket = connect(c.server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closing = c.server.close();
    const reply = new Promise<string>((resolve) =>
      socket.once('data', (chunk) => resolve(String(chunk))),
    );
    socket.write(`GET /v1/connections HTTP/1.1\r\nHost: x\r\nAuthorization: ${token()}\r\n\r\n`);
    const raw = await reply;
    answers.push({
      operation: 'GET /v1/connections',
      status: Number(raw.split(' ')[1]),
      code: /"code":"(\w+)"/.exec(raw)?.[1] ?? null,
    });
    socket.destroy();
    await closing;

    const document = (await (await fetch(`${a.server.url}/v1/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            responses: Record<
              string,
              {
                content?: Record<
                  string,
                  {
                    schema?: {
                      allOf?: Array<{
                        properties?: { error?: { properties?: { code?: { enum?: string[] } } } };
                      }>;
                    };
                  }
                >;
              }
            >;
          }
        >
      >;
    };
    const undeclared = answers.filter(({ operation, status, code }) => {
      const [method, path] = operation.split(' ') as [string, string];
      const response = document.paths[path]?.[method.toLowerCase()]?.responses[String(status)];
      if (!response) return true;
      if (code === null) return false;
      const codes =
        response.content?.['application/json']?.schema?.allOf?.[1]?.properties?.error?.properties
          ?.code?.enum;
      return !codes?.includes(code);
    });
    expect(undeclared).toEqual([]);
    // Timestamps and URLs say so.
    const { schemas } = (
      document as unknown as {
        components: { schemas: Record<string, { properties: Record<string, unknown> }> };
      }
    ).components;
    for (const field of ['startedAt', 'deadlineAt', 'updatedAt']) {
      expect(schemas.Connection?.properties[field], field).toMatchObject({ format: 'date-time' });
    }
    expect(schemas.CreateSessionResponse?.properties.url).toMatchObject({ format: 'uri' });
    expect(schemas.TicketResponse?.properties.expiresAt).toMatchObject({ format: 'date-time' });
    // The drive reached the error paths it claims to.
    const seen = new Set(answers.map(({ status, code }) => `${status} ${code}`));
    for (const expected of [
      '401 unauthorized',
      '400 invalid_request',
      '400 invalid_json',
      '415 unsupported_media_type',
      '413 payload_too_large',
      '429 rate_limited',
      '404 not_found',
      '429 too_many_streams',
      '409 not_ready',
      '403 view_not_allowed',
      '503 not_configured',
      '403 webhooks_disabled',
      '502 upstream_error',
      '401 invalid_signature',
      '502 flinks_error',
      '500 encryption_key_missing',
      '500 internal_error',
      '503 store_unavailable',
      '503 shutting_down',
      '503 null',
    ]) {
      expect(seen, expected).toContain(expected);
    }
  }, 60_000);
});
