import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectWholeFlow, startFlinks } from '../test-flow';

describe('the Next.js snippet (route handler + lib/flinkit.ts)', () => {
  let flinks: Awaited<ReturnType<typeof startFlinks>>;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    flinks = await startFlinks();
    Object.assign(process.env, flinks.env);
  });
  afterAll(async () => {
    await close();
    await flinks?.close();
  });

  it('serves the proxy under /api/flinkit, with identity from the session cookie', async () => {
    const route = await import('./app/api/flinkit/[...path]/route');
    const { flinkit } = await import('./lib/flinkit');
    const { openSession } = await import('./lib/session');
    const { saved } = await import('./lib/accounts');
    close = () => flinkit.close();
    const handlers: Record<string, (request: Request) => Promise<Response>> = {
      GET: route.GET,
      POST: route.POST,
      DELETE: route.DELETE,
    };
    // What Next.js does: call the export named after the method with the full request URL.
    const call = (path: string, init: RequestInit = {}) => {
      const request = new Request(`http://app.test/api/flinkit${path}`, init);
      const handler = handlers[request.method];
      if (!handler) throw new Error(`no ${request.method} export`);
      return handler(request);
    };
    const alice = openSession('alice');
    await expectWholeFlow({
      sim: flinks.sim,
      call,
      alice,
      bob: openSession('bob'),
      delivered: () => [...saved.values()].filter((event) => event.userId === 'alice').length,
    });
  });
});
