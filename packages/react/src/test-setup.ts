import { cleanup, configure } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createFakeProxy, type FakeProxy } from './test-proxy';

/**
 * One msw server per test file (unhandled requests fail the test) and a fresh fake proxy per
 * test; components are unmounted and the microtask that destroys their stores is let run.
 */
export function setupFakeProxy(): { current: FakeProxy } {
  // The 2-core CI machine is shared: give `waitFor` room beyond its 1 s default.
  configure({ asyncUtilTimeout: 5000 });
  const server = setupServer();
  const proxy = { current: createFakeProxy() };
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(async () => {
    cleanup();
    await Promise.resolve();
    server.resetHandlers();
    proxy.current = createFakeProxy();
    server.use(...proxy.current.handlers);
  });
  afterAll(() => server.close());
  server.use(...proxy.current.handlers);
  return proxy;
}
