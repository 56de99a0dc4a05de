import type { ConnectionResponse } from '@flinkit/core/wire';
import { describe, expect, it } from 'vitest';
import { signFlinksWebhook } from '../flinks/webhook-signature';
import { createTestApp, postJson, TEST_SECRETS } from './helpers';

// Isolation between users runs on the real engine and databases: isolation.test.ts.
describe('secrets never leave the proxy', () => {
  it('keeps the secret key, API key, loginId, tokens and tickets out of every body and log line', async () => {
    const test = createTestApp({
      webhookSecret: TEST_SECRETS.webhookSecret,
      flinks: {
        apiUrl: 'https://flinks.test',
        customerId: 'c',
        secretKey: TEST_SECRETS.secretKey,
        apiKey: TEST_SECRETS.apiKey,
      },
    });
    const bodies: string[] = [];
    const call = async (path: string, init?: Parameters<typeof test.request>[1]) => {
      const response = await test.request(path, init);
      bodies.push(await response.text());
      return bodies[bodies.length - 1] as string;
    };
    const created = JSON.parse(
      await call('/v1/connections', postJson({ loginId: TEST_SECRETS.loginId }, { user: 'alice' })),
    ) as ConnectionResponse;
    const id = created.connection.id;
    await call('/v1/connections', postJson({ loginId: TEST_SECRETS.loginId }, { user: 'alice' }));
    await call(
      '/v1/connections',
      postJson({ loginId: `${TEST_SECRETS.loginId}!` }, { user: 'alice' }),
    );
    await call(
      '/v1/connect/sessions',
      postJson({ params: { authorizeToken: TEST_SECRETS.apiKey } }, { user: 'alice' }),
    );
    const { ticket } = JSON.parse(
      await call(`/v1/connections/${id}/ticket`, { method: 'POST', user: 'alice' }),
    ) as { ticket: string };
    const stream = await test.request(`/v1/connections/${id}/events?ticket=${ticket}`);
    await stream.body?.cancel();
    test.engine.complete(id, {
      Accounts: [{ AccountNumber: '99887766', Title: 'Chequing' }],
      Login: { Id: TEST_SECRETS.loginId },
    });
    await call(`/v1/connections/${id}/accounts`, { user: 'alice' });
    const webhook = JSON.stringify({
      ResponseType: 'GetAccountsDetail',
      Login: { Id: TEST_SECRETS.loginId },
    });
    await call('/v1/webhooks/flinks', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'flinks-authenticity-key': signFlinksWebhook(webhook, TEST_SECRETS.webhookSecret),
      },
      body: webhook,
    });
    await call('/v1/webhooks/flinks', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'flinks-authenticity-key': TEST_SECRETS.webhookSecret,
      },
      body: webhook,
    });
    test.engine.listConnections = async () => {
      throw new Error(`upstream said ${TEST_SECRETS.apiKey} for ${TEST_SECRETS.loginId}`);
    };
    await call('/v1/connections', { user: 'alice' });
    test.flinkit.logger.info(
      {
        loginId: TEST_SECRETS.loginId,
        headers: { authorization: `Bearer ${test.tokenFor('alice')}` },
      },
      'redaction check',
    );
    await test.flinkit.whenIdle();
    test.flinkit.logger.flush();

    expect(test.logs.length).toBeGreaterThan(8);
    const everything = [...bodies, ...test.logs].join('\n');
    const forbidden = [
      TEST_SECRETS.secretKey,
      TEST_SECRETS.apiKey,
      TEST_SECRETS.loginId,
      TEST_SECRETS.webhookSecret,
      TEST_SECRETS.userTokenSecret,
      '99887766',
    ];
    for (const secret of forbidden) expect(everything).not.toContain(secret);
    // The ticket route answers with the ticket, by design; logs never show it or a token.
    const logs = test.logs.join('\n');
    expect(logs).not.toContain(ticket);
    expect(logs).not.toContain(test.tokenFor('alice').split('.')[2] as string);
  });
});
