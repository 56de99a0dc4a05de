import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlinksHandlers } from './msw.js';
import { describeFlinksContract } from './test-contract.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describeFlinksContract('msw handlers', async (options) => {
  const flinks = createFlinksHandlers(options);
  server.resetHandlers(...flinks.handlers);
  return {
    ...flinks,
    apiUrl: flinks.baseUrl,
    close: async () => {
      flinks.dispose();
      server.resetHandlers();
    },
  };
});

describe('createFlinksHandlers', () => {
  it('answers on a custom baseUrl with a path prefix', async () => {
    const flinks = createFlinksHandlers({ baseUrl: 'http://flinks.test/proxy/' });
    server.resetHandlers(...flinks.handlers);
    try {
      const response = await fetch(
        `http://flinks.test/proxy/v3/${flinks.customerId}/BankingServices/GenerateAuthorizeToken`,
        {
          method: 'POST',
          headers: { 'flinks-auth-key': flinks.secretKey },
        },
      );
      expect(response.status).toBe(200);
      expect(flinks.requests()).toHaveLength(1);
    } finally {
      flinks.dispose();
      server.resetHandlers();
    }
  });
});
