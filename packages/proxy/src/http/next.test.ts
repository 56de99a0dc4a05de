import { afterEach, describe, expect, it } from 'vitest';
import { createFakeEngine } from '../test/fake-engine';
import { createFlinkitApp, type FlinkitApp } from './app';
import { toNextHandlers } from './next';

const keys: string[] = [];

/** A unique key per test, so apps never leak between tests through `globalThis`. */
function freshKey(): string {
  const key = `test-${keys.length}-${Math.random()}`;
  keys.push(key);
  return key;
}

afterEach(() => {
  for (const key of keys.splice(0)) {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for(`@flinkit/proxy/next:${key}`)];
  }
});

/** An embedded app under `/api/flinkit` whose caller is the `session` cookie's value. */
function createCookieApp(): FlinkitApp {
  return createFlinkitApp({
    engine: createFakeEngine(),
    basePath: '/api/flinkit',
    connect: { instance: 'toolbox' },
    mintAuthorizeToken: async () => ({ token: 'tok_1' }),
    authenticate: (request) => {
      const user = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
      return user ? { userId: user } : null;
    },
    logger: { level: 'silent' },
  });
}

describe('toNextHandlers', () => {
  it('creates the app on the first request, not when the route module is imported', async () => {
    let created = 0;
    const handlers = toNextHandlers(
      () => {
        created += 1;
        return createCookieApp();
      },
      { key: freshKey() },
    );
    expect(created).toBe(0);
    await handlers.GET(new Request('http://localhost/api/flinkit/healthz'));
    expect(created).toBe(1);
  });

  it('serves the proxy under its basePath with the identity of the session cookie', async () => {
    const { GET, POST } = toNextHandlers(createCookieApp, { key: freshKey() });
    const session = await POST(
      new Request('http://localhost/api/flinkit/v1/connect/sessions', {
        method: 'POST',
        headers: { cookie: 'theme=dark; session=alice', 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ url: expect.stringContaining('tok_1') });

    const anonymous = await GET(new Request('http://localhost/api/flinkit/v1/connections'));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      error: { code: 'unauthorized', recoverable: true },
    });
  });

  it('answers every method through the proxy, so a wrong one gets its JSON 405', async () => {
    const handlers = toNextHandlers(createCookieApp, { key: freshKey() });
    const response = await handlers.PUT(
      new Request('http://localhost/api/flinkit/v1/connect/sessions', {
        method: 'PUT',
        headers: { cookie: 'session=alice' },
      }),
    );
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('shares one app between route modules with the same key, and keeps keys apart', async () => {
    const key = freshKey();
    const created: string[] = [];
    const create = (name: string) => () => {
      created.push(name);
      return createCookieApp();
    };
    const first = toNextHandlers(create('first'), { key });
    const reloaded = toNextHandlers(create('reloaded'), { key });
    const other = toNextHandlers(create('other'), { key: freshKey() });
    await first.GET(new Request('http://localhost/api/flinkit/healthz'));
    await reloaded.GET(new Request('http://localhost/api/flinkit/healthz'));
    await other.GET(new Request('http://localhost/api/flinkit/healthz'));
    expect(created).toEqual(['first', 'other']);
  });

  it('rejects while the app cannot be created, and creates it once the cause is fixed', async () => {
    let broken = true;
    const { GET } = toNextHandlers(
      () => {
        if (broken) throw new Error('FLINKIT_ENCRYPTION_KEYS: missing');
        return createCookieApp();
      },
      { key: freshKey() },
    );
    const request = () => GET(new Request('http://localhost/api/flinkit/healthz'));
    await expect(request()).rejects.toThrow('FLINKIT_ENCRYPTION_KEYS');
    broken = false;
    expect((await request()).status).toBe(200);
  });
});
