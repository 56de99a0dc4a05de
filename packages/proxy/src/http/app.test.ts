import { describe, expect, it } from 'vitest';
import { createFakeEngine } from '../test/fake-engine';
import { createTestApp, postJson, TEST_SECRETS } from '../test/helpers';
import { createFlinkitApp } from './app';

describe('createFlinkitApp: HTTP behaviour', () => {
  it('answers an unknown route with 404 not_found JSON', async () => {
    const test = createTestApp();
    const response = await test.request('/v1/nope', { user: 'alice' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'not_found', message: expect.any(String), recoverable: false },
    });
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const test = createTestApp();
    const response = await test.request('/v1/connections/conn_1', { method: 'PUT', user: 'alice' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, DELETE');
    expect(await response.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
    const sessions = await test.request('/v1/connect/sessions', { method: 'GET', user: 'alice' });
    expect(sessions.status).toBe(405);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const test = createTestApp();
    const response = await test.request('/v1/connections', {
      method: 'POST',
      user: 'alice',
      headers: { 'content-type': 'application/json' },
      body: '{"loginId": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('answers a non-JSON content type with 415', async () => {
    const test = createTestApp();
    const response = await test.request('/v1/connections', {
      method: 'POST',
      user: 'alice',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ loginId: 'abc' }),
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('answers a body over 16 KB with 413, with or without Content-Length', async () => {
    const test = createTestApp();
    const big = JSON.stringify({ loginId: 'abc', institution: 'x'.repeat(17 * 1024) });
    const response = await test.request(
      '/v1/connections',
      postJson(JSON.parse(big), { user: 'alice' }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const streamed = await test.request('/v1/connections', {
      method: 'POST',
      user: 'alice',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('maps an unexpected engine error to 500 internal_error without details', async () => {
    const test = createTestApp();
    test.engine.listConnections = async () => {
      throw new Error(`database at postgres://admin:${TEST_SECRETS.secretKey}@db exploded`);
    };
    const response = await test.request('/v1/connections', { user: 'alice' });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({
      error: { code: 'internal_error', recoverable: true },
    });
    expect(text).not.toContain('postgres');
    expect(text).not.toContain('at ');
  });

  it('uses the embedded authenticate hook when given', async () => {
    const engine = createFakeEngine();
    const flinkit = createFlinkitApp({
      engine,
      logger: { level: 'silent' },
      authenticate: (request) =>
        request.headers.get('cookie') === 'session=alice' ? { userId: 'alice' } : null,
    });
    const anonymous = await flinkit.app.request('/v1/connections');
    expect(anonymous.status).toBe(401);
    const signedIn = await flinkit.app.request('/v1/connections', {
      headers: { cookie: 'session=alice' },
    });
    expect(signedIn.status).toBe(200);
  });

  it('serves every route under basePath', async () => {
    const test = createTestApp({ basePath: '/api/flinkit', acceptUnsignedWebhooks: true });
    expect((await test.request('/api/flinkit/healthz')).status).toBe(200);
    expect((await test.request('/api/flinkit/v1/connections', { user: 'alice' })).status).toBe(200);
    expect((await test.request('/v1/connections', { user: 'alice' })).status).toBe(404);
    const big = await test.request(
      '/api/flinkit/v1/webhooks/flinks',
      postJson({ x: 'y'.repeat(20_000) }),
    );
    expect(big.status).toBe(200);
  });

  it('refuses a config with neither engine nor identity', () => {
    expect(() => createFlinkitApp({ userTokenSecret: TEST_SECRETS.userTokenSecret })).toThrow(
      /engine/,
    );
    expect(() => createFlinkitApp({ engine: createFakeEngine() })).toThrow(/authenticate/);
  });
});

describe('CORS', () => {
  it('allows exactly the configured origins', async () => {
    const test = createTestApp({ allowedOrigins: ['https://app.example.com'] });
    const allowed = await test.request('/v1/connections', {
      user: 'alice',
      headers: { origin: 'https://app.example.com' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const preflight = await test.request('/v1/connections', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('gives a disallowed origin no Access-Control-Allow-Origin', async () => {
    const test = createTestApp({ allowedOrigins: ['https://app.example.com'] });
    for (const origin of [
      'https://evil.example.com',
      'https://app.example.com.evil.net',
      'http://app.example.com',
    ]) {
      const response = await test.request('/v1/connections', {
        user: 'alice',
        headers: { origin },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await test.request('/v1/connections', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('ops routes', () => {
  it('/healthz is always 200; /readyz follows the engine', async () => {
    const test = createTestApp();
    expect((await test.request('/healthz')).status).toBe(200);
    expect((await test.request('/readyz')).status).toBe(200);
    test.engine.ready = false;
    const notReady = await test.request('/readyz');
    expect(notReady.status).toBe(503);
    test.engine.isReady = async () => {
      throw new Error('db down');
    };
    expect((await test.request('/readyz')).status).toBe(503);
  });

  it('/metrics exposes retrievals, upstream calls with a histogram, and SSE clients', async () => {
    const test = createTestApp();
    test.flinkit.metrics.recordUpstreamCall({
      endpoint: 'GetAccountsDetail',
      outcome: 'pending',
      status: 202,
      durationMs: 120,
    });
    test.flinkit.metrics.recordUpstreamCall({
      endpoint: 'GetAccountsDetail',
      outcome: 'data',
      status: 200,
      durationMs: 2000,
    });
    const response = await test.request('/metrics');
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('flinkit_retrievals{state="ready"} 2');
    expect(text).toContain(
      'flinkit_upstream_calls_total{endpoint="GetAccountsDetail",outcome="pending"} 1',
    );
    expect(text).toContain(
      'flinkit_upstream_call_duration_seconds_bucket{endpoint="GetAccountsDetail",le="0.25"} 1',
    );
    expect(text).toContain(
      'flinkit_upstream_call_duration_seconds_bucket{endpoint="GetAccountsDetail",le="2.5"} 2',
    );
    expect(text).toContain(
      'flinkit_upstream_call_duration_seconds_count{endpoint="GetAccountsDetail"} 2',
    );
    expect(text).toContain('flinkit_sse_clients 0');
  });
});
