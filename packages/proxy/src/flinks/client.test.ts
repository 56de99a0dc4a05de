import { inspect } from 'node:util';
import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { BASE, mswFlinksClient, useMswServer } from '../test/flinks-msw';
import type { FlinksClientOptions } from './client';
import { FlinksApiError } from './errors';

const SECRET = 'secret-key-9f1c';
const API_KEY = 'api-key-77ab';
const LOGIN_ID = 'login-3c2d-private';
const server = useMswServer();

function client(overrides: Partial<FlinksClientOptions> = {}) {
  const sleeps: number[] = [];
  const flinks = mswFlinksClient({
    secretKey: SECRET,
    apiKey: API_KEY,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { flinks, sleeps };
}

function flinksError(status: number, code: string) {
  return HttpResponse.json(
    { HttpStatusCode: status, FlinksCode: code, Message: 'upstream text' },
    { status },
  );
}

async function caught(promise: Promise<unknown>): Promise<FlinksApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!FlinksApiError.isInstance(error))
    throw new Error(`expected a FlinksApiError, got ${String(error)}`);
  return error;
}

describe('createFlinksClient', () => {
  it('returns 200 bodies as data, unknown fields included', async () => {
    server.use(
      http.post(`${BASE}/GetAccountsDetail`, () =>
        HttpResponse.json({ HttpStatusCode: 200, Accounts: [], NewField: { a: 1 } }),
      ),
    );
    const result = await client().flinks.getAccountsDetail('req-1');
    expect(result).toEqual({
      type: 'data',
      body: { HttpStatusCode: 200, Accounts: [], NewField: { a: 1 } },
    });
  });

  it.each(['OPERATION_PENDING', 'OPERATION_DISPATCHED'])(
    'classifies 202 %s as pending',
    async (code) => {
      server.use(http.get(`${BASE}/GetAccountsDetailAsync/req-1`, () => flinksError(202, code)));
      const result = await client().flinks.getAccountsDetailAsync('req-1');
      expect(result.type).toBe('pending');
      expect(result.type === 'pending' && result.flinksCode).toBe(code);
    },
  );

  it.each([
    [400, 'SESSION_NONEXISTENT', 'reauthorize', true],
    [400, 'SESSION_EXPIRED', 'reauthorize', true],
    [401, 'RETRY_LATER', 'transient', true],
    [400, 'CARD_IN_USE', 'transient', true],
    [400, 'CONCURRENT_SESSION', 'transient', true],
    [401, 'DISABLED_LOGIN', 'terminal', false],
    [401, 'INVALID_LOGIN', 'terminal', false],
    [405, 'DISABLED_INSTITUTION', 'terminal', true],
    [418, 'SOMETHING_NEW', 'terminal', false],
  ] as const)('classifies %i %s as %s', async (status, code, kind, recoverable) => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/GetAccountsDetailAsync/req-1`, () => {
        calls++;
        return flinksError(status, code);
      }),
    );
    const error = await caught(client().flinks.getAccountsDetailAsync('req-1'));
    expect(error).toMatchObject({
      kind,
      flinksCode: code,
      httpStatus: status,
      recoverable,
      code: 'flinks_error',
    });
    // FlinksCode-level errors are left to the engine's backoff: one call only.
    expect(calls).toBe(1);
  });

  it('retries 5xx with full-jitter exponential backoff, at most maxRetries times', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/GetAccountsDetail`, () => {
        calls++;
        return HttpResponse.json({}, { status: 503 });
      }),
    );
    const { flinks, sleeps } = client({ maxRetries: 3, backoffBaseMs: 100 });
    const error = await caught(flinks.getAccountsDetail('req-1'));
    expect(error).toMatchObject({ kind: 'transient', httpStatus: 503, flinksCode: null });
    expect(calls).toBe(4);
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('recovers when a retry succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/GetAccountsDetailAsync/req-1`, () =>
        ++calls < 3
          ? HttpResponse.error()
          : HttpResponse.json({ HttpStatusCode: 200, Accounts: [] }),
      ),
    );
    const result = await client().flinks.getAccountsDetailAsync('req-1');
    expect(result.type).toBe('data');
    expect(calls).toBe(3);
  });

  it('honours Retry-After seconds on 429', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/GetAccountsDetail`, () =>
        ++calls === 1
          ? new HttpResponse(null, { status: 429, headers: { 'retry-after': '3' } })
          : HttpResponse.json({ Accounts: [] }),
      ),
    );
    const { flinks, sleeps } = client();
    expect((await flinks.getAccountsDetail('req-1')).type).toBe('data');
    expect(sleeps).toEqual([3000]);
  });

  it('returns a Retry-After beyond the cap to the caller instead of sleeping', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/GetAccountsDetail`, () => {
        calls++;
        return new HttpResponse(null, { status: 429, headers: { 'retry-after': '120' } });
      }),
    );
    const { flinks, sleeps } = client({ maxRetryAfterMs: 10_000 });
    const error = await caught(flinks.getAccountsDetail('req-1'));
    expect(error).toMatchObject({ kind: 'transient', httpStatus: 429, retryAfterMs: 120_000 });
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('times out a call that does not answer', async () => {
    server.use(
      http.get(`${BASE}/GetAccountsDetailAsync/req-1`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const error = await caught(
      client({ timeoutMs: 20, maxRetries: 0 }).flinks.getAccountsDetailAsync('req-1'),
    );
    expect(error).toMatchObject({
      kind: 'transient',
      httpStatus: null,
      flinksCode: null,
      recoverable: true,
    });
    expect(error.message).toContain('did not answer within 20 ms');
  });

  it('treats a 200 that is not JSON as transient', async () => {
    server.use(
      http.get(
        `${BASE}/GetAccountsDetailAsync/req-1`,
        () => new HttpResponse('<html>', { status: 200 }),
      ),
    );
    const error = await caught(client({ maxRetries: 0 }).flinks.getAccountsDetailAsync('req-1'));
    expect(error.kind).toBe('transient');
  });

  it('sends the secret only to GenerateAuthorizeToken, the token to Authorize, the API key to data calls', async () => {
    const seen: Record<string, Record<string, string | null>> = {};
    const record = (name: string, request: Request) => {
      seen[name] = {
        auth: request.headers.get('flinks-auth-key'),
        apiKey: request.headers.get('x-api-key'),
        authorization: request.headers.get('authorization'),
      };
    };
    server.use(
      http.post(`${BASE}/GenerateAuthorizeToken`, ({ request }) => {
        record('token', request);
        return HttpResponse.json({ HttpStatusCode: 200, Token: 'token-1' });
      }),
      http.post(`${BASE}/Authorize`, async ({ request }) => {
        record('authorize', request);
        expect(await request.json()).toEqual({
          LoginId: LOGIN_ID,
          MostRecentCached: true,
          Tag: 't',
        });
        return HttpResponse.json({ HttpStatusCode: 200, RequestId: 'req-9' });
      }),
      http.post(`${BASE}/GetAccountsDetail`, async ({ request }) => {
        record('detail', request);
        expect(await request.json()).toMatchObject({
          RequestId: 'req-9',
          WithKYC: true,
          DaysOfTransactions: 'Days365',
        });
        return HttpResponse.json({ Accounts: [] });
      }),
      http.get(`${BASE}/GetAccountsDetailAsync/req-9`, ({ request }) => {
        record('async', request);
        return HttpResponse.json({ Accounts: [] });
      }),
      http.delete(`${BASE}/DeleteCard/${LOGIN_ID}`, ({ request }) => {
        record('delete', request);
        return HttpResponse.json({ HttpStatusCode: 200 });
      }),
    );
    const { flinks } = client();
    await flinks.authorize({ loginId: LOGIN_ID, mostRecentCached: true, tag: 't' });
    await flinks.getAccountsDetail('req-9', { daysOfTransactions: 'Days365' });
    await flinks.getAccountsDetailAsync('req-9');
    await flinks.deleteCard(LOGIN_ID);
    expect(seen).toEqual({
      token: { auth: SECRET, apiKey: null, authorization: null },
      authorize: { auth: 'token-1', apiKey: null, authorization: null },
      detail: { auth: null, apiKey: API_KEY, authorization: null },
      async: { auth: null, apiKey: API_KEY, authorization: null },
      delete: { auth: null, apiKey: API_KEY, authorization: null },
    });
  });

  it('mints a fresh single-use token for every Authorize retry', async () => {
    let minted = 0;
    const used: string[] = [];
    server.use(
      http.post(`${BASE}/GenerateAuthorizeToken`, () =>
        HttpResponse.json({ Token: `token-${++minted}` }),
      ),
      http.post(`${BASE}/Authorize`, ({ request }) => {
        used.push(request.headers.get('flinks-auth-key') ?? '');
        return used.length === 1
          ? HttpResponse.json({}, { status: 502 })
          : HttpResponse.json({ RequestId: 'req-2' });
      }),
    );
    const result = await client().flinks.authorize({ loginId: LOGIN_ID, mostRecentCached: true });
    expect(result.type === 'data' && result.body.RequestId).toBe('req-2');
    expect(used).toEqual(['token-1', 'token-2']);
  });

  it('reports each upstream call with its outcome', async () => {
    const outcomes: string[] = [];
    server.use(
      http.get(`${BASE}/GetAccountsDetailAsync/req-1`, () => flinksError(202, 'OPERATION_PENDING')),
    );
    await client({
      onCall: (metric) => outcomes.push(`${metric.endpoint}:${metric.outcome}:${metric.status}`),
    }).flinks.getAccountsDetailAsync('req-1');
    expect(outcomes).toEqual(['GetAccountsDetailAsync:pending:202']);
  });

  it('never exposes the secret key, API key, token or loginId in an error', async () => {
    const echo = `${SECRET} ${API_KEY} token-secret ${LOGIN_ID}`;
    server.use(
      http.post(`${BASE}/GenerateAuthorizeToken`, () =>
        HttpResponse.json({ Token: 'token-secret' }),
      ),
      http.post(`${BASE}/Authorize`, () =>
        HttpResponse.json(
          { FlinksCode: 'UNAUTHORIZED', Message: echo, LoginId: LOGIN_ID },
          { status: 401 },
        ),
      ),
      http.delete(`${BASE}/DeleteCard/${LOGIN_ID}`, () => HttpResponse.error()),
    );
    const { flinks } = client({ maxRetries: 0 });
    const errors = [
      await caught(flinks.authorize({ loginId: LOGIN_ID, mostRecentCached: true })),
      await caught(flinks.deleteCard(LOGIN_ID)),
    ];
    for (const error of errors) {
      const renderings = [
        JSON.stringify(error),
        String(error),
        error.stack ?? '',
        Object.keys(error).join(','),
        inspect(error, { depth: 5, showHidden: true }),
      ];
      for (const text of renderings) {
        for (const secret of [SECRET, API_KEY, 'token-secret', LOGIN_ID])
          expect(text).not.toContain(secret);
      }
    }
    expect(errors[0]).toMatchObject({
      kind: 'terminal',
      flinksCode: 'UNAUTHORIZED',
      recoverable: false,
    });
  });
});
