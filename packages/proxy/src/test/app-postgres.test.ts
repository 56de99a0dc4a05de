import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlinkitApp, type FlinkitApp } from '../http/app';
import { signUserToken } from '../http/auth';
import { startTestPostgres, type TestPostgres } from './postgres';

// Two apps (as two instances would) on one PostgreSQL database share rate limits.
const SECRET = 'app-postgres-user-token-secret-0123456789';
let server: TestPostgres;

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(() => server?.stop(), 30_000);

function instance(databaseUrl: string, key: Uint8Array): FlinkitApp {
  return createFlinkitApp({
    userTokenSecret: SECRET,
    logger: { level: 'silent' },
    connect: { url: 'http://127.0.0.1:9/v2/' },
    mintAuthorizeToken: async () => ({ token: 'token-for-tests' }),
    rateLimits: { sessions: { limit: 2, windowMs: 60_000 } },
    engineOptions: {
      // Nothing is retrieved in this test; the engine only hosts the shared state.
      flinks: { apiUrl: 'http://127.0.0.1:9', customerId: 'c', secretKey: 's', apiKey: 'a' },
      databaseUrl,
      encryptionKeys: [{ id: 'k1', key }],
    },
  });
}

describe('createFlinkitApp on PostgreSQL', () => {
  it('counts a user against one rate limit on every instance, and exposes the coordination store', async () => {
    const databaseUrl = await server.createDatabase();
    const key = new Uint8Array(randomBytes(32));
    const a = instance(databaseUrl, key);
    const b = instance(databaseUrl, key);
    try {
      expect((await a.ready).coordination).toBeDefined();
      await b.ready;
      const session = (app: FlinkitApp, userId: string) =>
        app.fetch(
          new Request('http://proxy/v1/connect/sessions', {
            method: 'POST',
            headers: { authorization: `Bearer ${signUserToken({ userId, secret: SECRET })}` },
          }),
        );
      expect((await session(a, 'alice')).status).toBe(200);
      expect((await session(b, 'alice')).status).toBe(200);
      const limited = await session(a, 'alice');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as { error: { code: string } }).error.code).toBe(
        'rate_limited',
      );
      expect((await session(b, 'bob')).status).toBe(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);
});
