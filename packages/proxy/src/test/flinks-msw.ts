import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createFlinksClient, type FlinksClient, type FlinksClientOptions } from '../flinks/client';

/** The Flinks instance the msw tests answer for, and the prefix of its endpoints. */
export const API = 'https://flinks.test';
export const BASE = `${API}/v3/customer-1/BankingServices`;

/**
 * The msw server of one test file: it listens before the file's tests, forgets each test's
 * handlers after it, and fails on any request no handler answers.
 */
export function useMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/**
 * A Flinks client for {@link API} that sends through the global `fetch`, which msw intercepts
 * (the default connection pool is tested against a real server). No retries wait.
 */
export function mswFlinksClient(overrides: Partial<FlinksClientOptions> = {}): FlinksClient {
  return createFlinksClient({
    fetch: (input, init) => fetch(input, init),
    apiUrl: API,
    customerId: 'customer-1',
    secretKey: 'secret',
    apiKey: 'api-key',
    random: () => 0.5,
    sleep: async () => {},
    ...overrides,
  });
}
