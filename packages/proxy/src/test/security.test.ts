import type { ConnectionResponse } from '@flinkit/core/wire';
import { describe, expect, it } from 'vitest';
import { signFlinksWebhook } from '../flinks/webhook-signature';
import { createTestApp, postJson, TEST_SECRETS } from './helpers';

describe('isolation between users', () => {
  it("gives user B a 404 for everything about user A's connection", async () => {
    const test = createTestApp();
    const created = await test.request(
      '/v1/connections',
      postJson({ loginId: TEST_SECRETS.loginId }, { user: 'alice' }),
    );
    const { connection } = (await created.json()) as ConnectionResponse;
    test.engine.complete(connection.id, { Accounts: [] });
    const attempts: Array<[string, string]> = [
      ['GET', `/v1/connections/${connection.id}`],
      ['GET', `/v1/connections/${connection.id}/events`],
      ['GET', `/v1/connections/${connection.id}/accounts`],
      ['POST', `/v1/connections/${connection.id}/refresh`],
      ['POST', `/v1/connections/${connection.id}/ticket`],
      ['DELETE', `/v1/connections/${connection.id}`],
    ];
    for (const [method, path] of attempts) {
      const response = await test.request(path, { method, user: 'bob' });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    const list = await test.request('/v1/connections', { user: 'bob' });
    expect(await list.json()).toEqual({ connections: [] });
    // Alice's connection is untouched.
    const mine = await test.request(`/v1/connections/${connection.id}`, { user: 'alice' });
    expect(((await mine.json()) as ConnectionResponse).connection).toMatchObject({
      status: 'ready',
      version: connection.version + 1,
    });
  });

  it("does not let B's ticket open A's stream", async () => {
    const test = createTestApp();
    const a = (await (
      await test.request('/v1/connections', postJson({ loginId: 'login-a' }, { user: 'alice' }))
    ).json()) as ConnectionResponse;
    const b = (await (
      await test.request('/v1/connections', postJson({ loginId: 'login-b' }, { user: 'bob' }))
    ).json()) as ConnectionResponse;
    const bobs = (await (
      await test.request(`/v1/connections/${b.connection.id}/ticket`, {
        method: 'POST',
        user: 'bob',
      })
    ).json()) as { ticket: string };
    expect(
      (await test.request(`/v1/connections/${a.connection.id}/events?ticket=${bobs.ticket}`))
        .status,
    ).toBe(401);
  });
});

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
