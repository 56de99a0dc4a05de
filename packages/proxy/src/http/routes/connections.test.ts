import type {
  AccountsResponse,
  ConnectionListResponse,
  ConnectionResponse,
} from '@flinkit/core/wire';
import { describe, expect, it } from 'vitest';
import { createTestApp, postJson, TEST_SECRETS } from '../../test/helpers';

const PAYLOAD = {
  HttpStatusCode: 200,
  Institution: 'FlinksCapital',
  Accounts: [
    {
      Id: 'acc-1',
      Title: 'Chequing Account',
      AccountNumber: '7641238',
      TransitNumber: '12347',
      Balance: { Available: 5405.5, Current: 5105.5, Limit: null },
      Category: 'Operations',
      Type: 'Chequing',
      Currency: 'CAD',
      Transactions: [{ Id: 't1' }, { Id: 't2' }],
    },
  ],
};

async function link(
  test: ReturnType<typeof createTestApp>,
  user = 'alice',
  loginId = TEST_SECRETS.loginId,
) {
  const response = await test.request(
    '/v1/connections',
    postJson({ loginId, institution: 'FlinksCapital' }, { user }),
  );
  return ((await response.json()) as ConnectionResponse).connection;
}

describe('POST /v1/connections', () => {
  it('links a loginId and answers 202 with the connection, without the loginId', async () => {
    const test = createTestApp();
    const response = await test.request(
      '/v1/connections',
      postJson({ loginId: TEST_SECRETS.loginId, tag: 'order-42' }, { user: 'alice' }),
    );
    expect(response.status).toBe(202);
    const text = await response.text();
    expect(text).not.toContain(TEST_SECRETS.loginId);
    const { connection } = JSON.parse(text) as ConnectionResponse;
    expect(connection).toMatchObject({ status: 'pending', tag: 'order-42', version: 1 });
    expect(test.engine.loginIdOf(connection.id)).toBe(TEST_SECRETS.loginId);
  });

  it('passes the account selection to the engine, and refuses a malformed one', async () => {
    const test = createTestApp();
    const accountIds = ['a1b2c3d4-0000-4000-8000-000000000001', 'acct_2'];
    const response = await test.request(
      '/v1/connections',
      postJson({ loginId: TEST_SECRETS.loginId, accountIds }, { user: 'alice' }),
    );
    expect(response.status).toBe(202);
    const { connection } = (await response.json()) as ConnectionResponse;
    expect(test.engine.accountIdsOf(connection.id)).toEqual(accountIds);
    for (const bad of [['../x'], 'acct_1', Array.from({ length: 51 }, (_, i) => `a${i}`), [7]]) {
      const refused = await test.request(
        '/v1/connections',
        postJson({ loginId: TEST_SECRETS.loginId, accountIds: bad }, { user: 'bob' }),
      );
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({
        error: { code: 'invalid_request', field: expect.stringMatching(/^accountIds/) },
      });
    }
  });

  it('returns the same connection for the same user and loginId', async () => {
    const test = createTestApp();
    const first = await link(test);
    const second = await link(test);
    expect(second.id).toBe(first.id);
  });

  it('rejects a missing loginId with invalid_request naming the field', async () => {
    const test = createTestApp();
    const response = await test.request(
      '/v1/connections',
      postJson({ institution: 'X' }, { user: 'alice' }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'invalid_request', field: 'loginId', recoverable: false },
    });
  });

  it('rejects a loginId with characters a Flinks loginId never has', async () => {
    const test = createTestApp();
    const response = await test.request(
      '/v1/connections',
      postJson({ loginId: '../../etc/passwd' }, { user: 'alice' }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('passwd');
  });

  it('answers 401 without a user token', async () => {
    const test = createTestApp();
    const response = await test.request(
      '/v1/connections',
      postJson({ loginId: TEST_SECRETS.loginId }),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('rate-limits per user with 429 and Retry-After', async () => {
    const test = createTestApp({ rateLimits: { connections: { limit: 2, windowMs: 60_000 } } });
    await link(test, 'alice', 'login-a');
    await link(test, 'alice', 'login-b');
    const limited = await test.request(
      '/v1/connections',
      postJson({ loginId: 'login-c' }, { user: 'alice' }),
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({
      error: { code: 'rate_limited', recoverable: true },
    });
    const other = await test.request(
      '/v1/connections',
      postJson({ loginId: 'login-c' }, { user: 'bob' }),
    );
    expect(other.status).toBe(202);
  });
});

describe('GET /v1/connections and /v1/connections/:id', () => {
  it("lists only the caller's connections", async () => {
    const test = createTestApp();
    const mine = await link(test, 'alice', 'login-a');
    await link(test, 'bob', 'login-b');
    const response = await test.request('/v1/connections', { user: 'alice' });
    const body = (await response.json()) as ConnectionListResponse;
    expect(body.connections.map((connection) => connection.id)).toEqual([mine.id]);
  });

  it('answers the status with the /v1 headers, CORS for an allowed origin only', async () => {
    const test = createTestApp({ allowedOrigins: ['https://app.example.com'] });
    const connection = await link(test);
    const read = (origin: string) =>
      test.request(`/v1/connections/${connection.id}`, { user: 'alice', headers: { origin } });
    const allowed = await read('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-expose-headers')).toBe('retry-after');
    expect(allowed.headers.get('vary')).toBe('Origin');
    expect(allowed.headers.get('content-type')).toBe('application/json');
    const other = await read('https://app.example.com.evil.net');
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('cache-control')).toBe('no-store');
  });

  it('reads the status of a connection', async () => {
    const test = createTestApp();
    const connection = await link(test);
    test.engine.update(connection.id, { status: 'processing', attempt: 2 });
    const response = await test.request(`/v1/connections/${connection.id}`, { user: 'alice' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(((await response.json()) as ConnectionResponse).connection).toMatchObject({
      status: 'processing',
      attempt: 2,
    });
  });

  it('answers 404 not_found for an unknown or malformed id', async () => {
    const test = createTestApp();
    for (const id of ['conn_999', 'bad%20id']) {
      const response = await test.request(`/v1/connections/${id}`, { user: 'alice' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});

describe('POST /v1/connections/:id/refresh', () => {
  it('starts a new retrieval and answers 202', async () => {
    const test = createTestApp();
    const connection = await link(test);
    test.engine.complete(connection.id, PAYLOAD);
    const response = await test.request(`/v1/connections/${connection.id}/refresh`, {
      method: 'POST',
      user: 'alice',
    });
    expect(response.status).toBe(202);
    const refreshed = ((await response.json()) as ConnectionResponse).connection;
    expect(refreshed.status).toBe('pending');
    expect(refreshed.retrievalId).not.toBe(connection.retrievalId);
  });
});

describe('DELETE /v1/connections/:id', () => {
  it('deletes and answers 204, then 404', async () => {
    const test = createTestApp();
    const connection = await link(test);
    const response = await test.request(`/v1/connections/${connection.id}`, {
      method: 'DELETE',
      user: 'alice',
    });
    expect(response.status).toBe(204);
    expect(test.engine.deletions).toEqual([{ connectionId: connection.id, deleteUpstream: false }]);
    const again = await test.request(`/v1/connections/${connection.id}`, { user: 'alice' });
    expect(again.status).toBe(404);
  });

  it('asks for DeleteCard upstream when configured', async () => {
    const test = createTestApp({ deleteUpstream: true });
    const connection = await link(test);
    await test.request(`/v1/connections/${connection.id}`, { method: 'DELETE', user: 'alice' });
    expect(test.engine.deletions).toEqual([{ connectionId: connection.id, deleteUpstream: true }]);
  });
});

describe('GET /v1/connections/:id/accounts', () => {
  it('answers 409 not_ready while the retrieval runs', async () => {
    const test = createTestApp();
    const connection = await link(test);
    const response = await test.request(`/v1/connections/${connection.id}/accounts`, {
      user: 'alice',
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      error: { code: 'not_ready', recoverable: true },
    });
  });

  it('gives a summary with masked numbers by default', async () => {
    const test = createTestApp();
    const connection = await link(test);
    test.engine.complete(connection.id, PAYLOAD);
    const response = await test.request(`/v1/connections/${connection.id}/accounts`, {
      user: 'alice',
    });
    const text = await response.text();
    expect(text).not.toContain('7641238');
    expect(text).not.toContain('12347');
    const body = JSON.parse(text) as AccountsResponse;
    expect(body).toMatchObject({
      view: 'summary',
      connectionId: connection.id,
      institution: 'FlinksCapital',
      accounts: [
        {
          id: 'acc-1',
          title: 'Chequing Account',
          type: 'Chequing',
          category: 'Operations',
          currency: 'CAD',
          maskedNumber: '•••1238',
          balance: { available: 5405.5, current: 5105.5, limit: null },
          transactionCount: 2,
        },
      ],
    });
  });

  it('gives the full payload only when configured', async () => {
    const test = createTestApp({ accountsView: 'full' });
    const connection = await link(test);
    test.engine.complete(connection.id, PAYLOAD);
    const body = (await (
      await test.request(`/v1/connections/${connection.id}/accounts`, { user: 'alice' })
    ).json()) as AccountsResponse;
    expect(body.view).toBe('full');
    expect(body.view === 'full' && body.payload).toEqual(PAYLOAD);
  });

  it('gives the summary on request even where the full view is allowed', async () => {
    const test = createTestApp({ accountsView: 'full' });
    const connection = await link(test);
    test.engine.complete(connection.id, PAYLOAD);
    const response = await test.request(`/v1/connections/${connection.id}/accounts?view=summary`, {
      user: 'alice',
    });
    const body = (await response.json()) as AccountsResponse;
    expect(body.view).toBe('summary');
    expect(JSON.stringify(body)).not.toContain('Transactions');
  });

  it('refuses ?view=full with 403 view_not_allowed where only the summary is allowed', async () => {
    const test = createTestApp();
    const connection = await link(test);
    test.engine.complete(connection.id, PAYLOAD);
    const full = await test.request(`/v1/connections/${connection.id}/accounts?view=full`, {
      user: 'alice',
    });
    expect(full.status).toBe(403);
    expect(await full.json()).toMatchObject({ error: { code: 'view_not_allowed' } });
    const bogus = await test.request(`/v1/connections/${connection.id}/accounts?view=raw`, {
      user: 'alice',
    });
    expect(bogus.status).toBe(400);
    expect(await bogus.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('answers 410 data_expired when the payload is gone', async () => {
    const test = createTestApp();
    const connection = await link(test);
    test.engine.update(connection.id, { status: 'ready' });
    const response = await test.request(`/v1/connections/${connection.id}/accounts`, {
      user: 'alice',
    });
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ error: { code: 'data_expired' } });
  });
});

describe('POST /v1/connections/:id/ticket', () => {
  it('issues a 60 s ticket for an owned connection', async () => {
    const now = () => Date.parse('2026-03-01T12:00:00Z');
    const test = createTestApp({}, { now });
    const connection = await link(test);
    const response = await test.request(`/v1/connections/${connection.id}/ticket`, {
      method: 'POST',
      user: 'alice',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ticket: string; expiresAt: string };
    expect(body.ticket).toMatch(/^[\w-]{20,}$/);
    expect(body.expiresAt).toBe('2026-03-01T12:01:00.000Z');
  });
});
