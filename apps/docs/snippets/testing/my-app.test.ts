import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFlinkitApp, type FlinkitApp, signUserToken } from '@flinkit/proxy';
import { createManualClock } from '@flinkit/simulator';
import { createFlinksHandlers, type FlinksHandlers } from '@flinkit/simulator/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// Flinks' API, answered in process by msw: no network, no port, no Flinks account.
const flinks: FlinksHandlers = createFlinksHandlers({
  clock: createManualClock(),
  processingMs: 0,
});
const server = setupServer(...flinks.handlers);
const secret = 'test-user-token-secret-of-at-least-32-chars';

describe('my app with the flinkit proxy', () => {
  let dir: string;
  let flinkit: FlinkitApp;
  const delivered: string[] = [];

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => {
    server.close();
    flinks.dispose();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'my-app-'));
    flinkit = createFlinkitApp({
      flinks: {
        apiUrl: flinks.baseUrl, // https://toolbox-api.private.fin.ag, intercepted
        customerId: flinks.customerId,
        secretKey: flinks.secretKey,
        apiKey: flinks.apiKey,
      },
      engineOptions: {
        databaseUrl: `sqlite:${join(dir, 'flinkit.db')}`,
        encryptionKeys: [{ id: 'test', key: new Uint8Array(32).fill(1) }],
      },
      connect: { instance: 'toolbox' },
      userTokenSecret: secret,
      logger: { level: 'silent' },
      onAccountsDetail: ({ userId }) => {
        delivered.push(userId);
      },
    });
  });
  afterEach(async () => {
    await flinkit.close();
    await rm(dir, { recursive: true, force: true });
    delivered.length = 0;
  });

  /** What the page does after Connect's REDIRECT: hand the loginId over, then follow it. */
  async function link(username: string) {
    const headers = {
      authorization: `Bearer ${signUserToken({ userId: 'alice', secret })}`,
      'content-type': 'application/json',
    };
    const loginId = flinks.createLogin(username); // as if the customer had linked in Connect
    const created = await flinkit.fetch(
      new Request('http://proxy.test/v1/connections', {
        method: 'POST',
        headers,
        body: JSON.stringify({ loginId }),
      }),
    );
    const { connection } = await created.json();
    const read = async (path = '') =>
      (
        await flinkit.fetch(
          new Request(`http://proxy.test/v1/connections/${connection.id}${path}`, { headers }),
        )
      ).json();
    for (let tries = 0; tries < 200; tries += 1) {
      const { connection: current } = await read();
      if (['ready', 'failed', 'timed_out'].includes(current.status))
        return { connection: current, read };
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the retrieval did not finish');
  }

  it('stores the accounts of a linked login and hands them to the app', async () => {
    const { connection, read } = await link('greatday_nomfa');
    expect(connection.status).toBe('ready');
    const accounts = await read('/accounts');
    expect(accounts.accounts.map((account: { title: string }) => account.title)).toHaveLength(3);
    expect(flinks.requests().map((entry) => entry.endpoint)).toContain('GetAccountsDetail');
    for (let tries = 0; tries < 200 && delivered.length === 0; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(delivered).toEqual(['alice']);
  });

  it('shows a disabled login as a terminal Flinks error', async () => {
    const { connection } = await link('test_disabled_account');
    expect(connection.status).toBe('failed');
    expect(connection.error).toMatchObject({
      code: 'flinks_error',
      flinksCode: 'DISABLED_LOGIN',
      recoverable: false,
    });
  });
});
