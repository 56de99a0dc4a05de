// @vitest-environment node
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FlinkitError } from './flinkit-error';
import { createProxyClient } from './proxy-client';
import { makeConnection } from './test-helpers';

const BASE = 'https://proxy.test';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function failure(promise: Promise<unknown>): Promise<FlinkitError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!FlinkitError.isInstance(error))
    throw new Error(`expected a FlinkitError, got ${String(error)}`);
  return error;
}

describe('createProxyClient', () => {
  it('calls every route with the bearer token and returns the typed body', async () => {
    const seen: string[] = [];
    const connection = makeConnection();
    server.use(
      http.all(`${BASE}/*`, ({ request }) => {
        seen.push(
          `${request.method} ${new URL(request.url).pathname}${new URL(request.url).search} ${request.headers.get('authorization')}`,
        );
      }),
      http.post(`${BASE}/v1/connect/sessions`, async ({ request }) =>
        HttpResponse.json({
          url: 'https://x-iframe.private.fin.ag/v2/?t=1',
          expiresAt: 'e',
          echo: await request.json(),
        }),
      ),
      http.post(`${BASE}/v1/connections`, async ({ request }) =>
        HttpResponse.json(
          { connection: { ...connection, tag: ((await request.json()) as { tag: string }).tag } },
          { status: 202 },
        ),
      ),
      http.get(`${BASE}/v1/connections`, () => HttpResponse.json({ connections: [connection] })),
      http.get(`${BASE}/v1/connections/:id`, () => HttpResponse.json({ connection })),
      http.get(`${BASE}/v1/connections/:id/accounts`, ({ params }) =>
        HttpResponse.json({
          view: 'summary',
          connectionId: params.id,
          institution: null,
          retrievedAt: 'r',
          accounts: [],
        }),
      ),
      http.post(`${BASE}/v1/connections/:id/refresh`, () =>
        HttpResponse.json({ connection: { ...connection, version: 2 } }),
      ),
      http.post(`${BASE}/v1/connections/:id/ticket`, () =>
        HttpResponse.json({ ticket: 'tk', expiresAt: 'e' }),
      ),
      http.delete(`${BASE}/v1/connections/:id`, () => new HttpResponse(null, { status: 204 })),
    );
    let calls = 0;
    const client = createProxyClient({
      baseUrl: `${BASE}/`,
      getToken: async () => `token-${++calls}`,
    });

    expect(await client.createSession({ language: 'fr' })).toEqual({
      url: 'https://x-iframe.private.fin.ag/v2/?t=1',
      expiresAt: 'e',
      echo: { language: 'fr' },
    });
    expect((await client.createConnection({ loginId: 'l', tag: 't' })).connection.tag).toBe('t');
    expect((await client.listConnections()).connections).toHaveLength(1);
    expect((await client.getConnection('conn 1')).connection.id).toBe('conn_1');
    expect((await client.getAccounts('conn_1')).view).toBe('summary');
    expect((await client.getAccounts('conn_1', 'summary')).view).toBe('summary');
    expect((await client.refresh('conn_1')).connection.version).toBe(2);
    expect((await client.createTicket('conn_1')).ticket).toBe('tk');
    await expect(client.deleteConnection('conn_1')).resolves.toBeDefined();
    expect(seen).toEqual([
      'POST /v1/connect/sessions Bearer token-1',
      'POST /v1/connections Bearer token-2',
      'GET /v1/connections Bearer token-3',
      'GET /v1/connections/conn%201 Bearer token-4',
      'GET /v1/connections/conn_1/accounts Bearer token-5',
      'GET /v1/connections/conn_1/accounts?view=summary Bearer token-6',
      'POST /v1/connections/conn_1/refresh Bearer token-7',
      'POST /v1/connections/conn_1/ticket Bearer token-8',
      'DELETE /v1/connections/conn_1 Bearer token-9',
    ]);
  });

  it('sends no authorization header without getToken', async () => {
    let authorization: string | null = 'unset';
    server.use(
      http.get(`${BASE}/v1/connections`, ({ request }) => {
        authorization = request.headers.get('authorization');
        return HttpResponse.json({ connections: [] });
      }),
    );
    await createProxyClient({ baseUrl: BASE }).listConnections();
    expect(authorization).toBeNull();
  });

  it('turns a JSON error body into a FlinkitError with its code and the status', async () => {
    server.use(
      http.get(`${BASE}/v1/connections/:id`, () =>
        HttpResponse.json(
          {
            error: {
              code: 'not_found',
              message: 'No connection conn_9 for this user.',
              recoverable: false,
            },
          },
          { status: 404 },
        ),
      ),
      http.post(`${BASE}/v1/connect/sessions`, () =>
        HttpResponse.json(
          {
            error: {
              code: 'flinks_error',
              message: 'Flinks refused.',
              recoverable: true,
              flinksCode: 'UNAUTHORIZED',
            },
          },
          { status: 502 },
        ),
      ),
    );
    const client = createProxyClient({ baseUrl: BASE });
    const notFound = await failure(client.getConnection('conn_9'));
    expect(notFound.toJSON()).toEqual({
      code: 'not_found',
      message: 'No connection conn_9 for this user.',
      recoverable: false,
      status: 404,
    });
    expect((await failure(client.createSession())).toJSON()).toEqual({
      code: 'flinks_error',
      message: 'Flinks refused.',
      recoverable: true,
      flinksCode: 'UNAUTHORIZED',
      status: 502,
    });
  });

  it('turns a non-JSON error into http_error', async () => {
    server.use(
      http.get(
        `${BASE}/v1/connections`,
        () => new HttpResponse('<html>Bad gateway</html>', { status: 502 }),
      ),
      http.get(`${BASE}/v1/connections/:id`, () =>
        HttpResponse.json({ unexpected: true }, { status: 400 }),
      ),
    );
    const client = createProxyClient({ baseUrl: BASE });
    expect(await failure(client.listConnections())).toMatchObject({
      code: 'http_error',
      status: 502,
      recoverable: true,
    });
    expect(await failure(client.getConnection('c'))).toMatchObject({
      code: 'http_error',
      status: 400,
      recoverable: false,
    });
  });

  it('turns a failed fetch into a recoverable network_error', async () => {
    server.use(http.get(`${BASE}/v1/connections`, () => HttpResponse.error()));
    const error = await failure(createProxyClient({ baseUrl: BASE }).listConnections());
    expect(error).toMatchObject({ code: 'network_error', recoverable: true });
    expect(error.message).toMatch(/retry/);
  });

  it('uses the injected fetch', async () => {
    const client = createProxyClient({
      baseUrl: 'https://elsewhere.test',
      fetch: async (input) => Response.json({ connections: [], url: String(input) }),
    });
    expect(await client.listConnections()).toEqual({
      connections: [],
      url: 'https://elsewhere.test/v1/connections',
    });
  });
});
