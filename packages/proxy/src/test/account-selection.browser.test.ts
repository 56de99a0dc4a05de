import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountsResponse, ConnectionResponse } from '@flinkit/core/wire';
import { createManualClock, type Simulator, startSimulator } from '@flinkit/simulator';
import {
  browserAvailable,
  collectPageErrors,
  launchBrowser,
  linkInConnect,
} from '@flinkit/test-browser';
import { freePort } from '@flinkit/test-postgres';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyForwardedWebhook } from '../base/forward-webhook';
import { createLogger } from '../base/logger';
import { signUserToken } from '../http/auth';
import { type RunningServer, startServer } from '../http/server';

// Account selection end to end, in Chromium: the simulator's Connect iframe with its account
// selector, a host page (another origin) that reads the REDIRECT's account id(s) and links them
// through the proxy's HTTP API, and the proxy's answers and forward webhook. The page does what
// @flinkit/core does (origin + source check, POST /v1/connections { loginId, accountIds }).
const skip = !browserAvailable('proxy account selection');
const USER_SECRET = 'account-selection-user-token-secret-0123';
const FORWARD_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const WEBHOOK_SECRET = 'account-selection-flinks-webhook-secret';

const HOST_PAGE = `<!doctype html><html><body>
<iframe id="connect" title="Flinks Connect" width="480" height="640"></iframe>
<script>
  const config = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  const frame = document.getElementById('connect');
  const call = (path, body) =>
    fetch(config.proxy + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: 'Bearer ' + config.token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((response) => response.json());
  const whenReady = async (id) => {
    for (;;) {
      const { connection } = await call('/v1/connections/' + id);
      if (connection.status === 'ready') return connection;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  window.addEventListener('message', async (event) => {
    if (event.origin !== config.flinksOrigin || event.source !== frame.contentWindow) return;
    const data = typeof event.data === 'string' ? JSON.parse(event.data) : event.data;
    if (data.step !== 'REDIRECT') return;
    const query = data.url ? new URL(data.url).searchParams : new URLSearchParams();
    let accountIds = data.accountId || query.get('accountId') || [];
    if (typeof accountIds === 'string') accountIds = accountIds.split(',');
    const loginId = data.loginId || query.get('loginId');
    const { connection } = await call('/v1/connections', { loginId, accountIds });
    window.linked = { connectionId: connection.id, accountIds };
    await whenReady(connection.id);
    window.summary = await call('/v1/connections/' + connection.id + '/accounts?view=summary');
    window.full = await call('/v1/connections/' + connection.id + '/accounts?view=full');
  });
  call('/v1/connect/sessions', { params: config.params }).then((session) => {
    frame.src = session.url;
  });
</script></body></html>`;

interface Forwarded {
  headers: IncomingHttpHeaders;
  body: string;
}

describe.skipIf(skip)(
  'account selection in Chromium (simulator Connect + proxy)',
  { timeout: 60_000 },
  () => {
    let browser: Browser;
    let host: Server;
    let hostUrl: string;
    const cleanups: Array<() => Promise<void> | void> = [];

    beforeAll(async () => {
      host = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' }).end(HOST_PAGE);
      });
      await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
      // "localhost": the host page is on another origin than the proxy's and Flinks' 127.0.0.1.
      hostUrl = `http://localhost:${(host.address() as AddressInfo).port}`;
      browser = await launchBrowser();
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
      await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()));
    });

    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    /** The simulator (Flinks webhooks to the proxy), the proxy, and the host's forward receiver. */
    async function start() {
      const forwarded: Forwarded[] = [];
      const receiver = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => {
          body += chunk;
        });
        request.on('end', () => {
          forwarded.push({ headers: request.headers, body });
          response.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
      const port = await freePort();
      const clock = createManualClock();
      const sim: Simulator = await startSimulator({
        clock,
        processingMs: 60_000,
        webhook: { url: `http://127.0.0.1:${port}/v1/webhooks/flinks`, secret: WEBHOOK_SECRET },
      });
      cleanups.push(() => sim.close());
      const directory = mkdtempSync(join(tmpdir(), 'flinkit-selection-'));
      cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
      const proxy: RunningServer = await startServer({
        port,
        flinks: {
          apiUrl: sim.apiUrl,
          customerId: sim.customerId,
          secretKey: sim.secretKey,
          apiKey: sim.apiKey,
        },
        engineOptions: {
          databaseUrl: `sqlite:${join(directory, 'flinkit.db')}`,
          encryptionKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
          pollIntervalMs: 50,
          pollTimeoutMs: 60_000,
        },
        connect: { url: sim.connectUrl, demo: true },
        userTokenSecret: USER_SECRET,
        allowedOrigins: [hostUrl],
        webhookSecret: WEBHOOK_SECRET,
        accountsView: 'full',
        forward: {
          url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
          secret: FORWARD_SECRET,
        },
        logger: createLogger({ level: 'silent' }),
      });
      cleanups.push(() => proxy.close());
      return { sim, clock, proxy, forwarded };
    }

    async function openHost(proxy: RunningServer, sim: Simulator, params: Record<string, boolean>) {
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
      cleanups.push(async () => {
        expect(errors).toEqual([]);
        await page.close();
      });
      const config = {
        proxy: proxy.url,
        flinksOrigin: sim.url,
        token: signUserToken({ userId: 'alice', secret: USER_SECRET }),
        params,
      };
      await page.goto(`${hostUrl}/#${encodeURIComponent(JSON.stringify(config))}`);
      return page;
    }

    const pageValue = <T>(page: Page, name: 'linked' | 'summary' | 'full') =>
      page
        .waitForFunction((key) => (window as unknown as Record<string, unknown>)[key], name, {
          timeout: 30_000,
        })
        .then((handle) => handle.jsonValue() as Promise<T>);

    async function forwardedIds(forwarded: Forwarded[]): Promise<string[]> {
      const deadline = Date.now() + 15_000;
      while (forwarded.length === 0) {
        if (Date.now() > deadline) throw new Error('no forward webhook');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(forwarded).toHaveLength(1);
      const [delivery] = forwarded as [Forwarded];
      const event = verifyForwardedWebhook({ ...delivery, secret: FORWARD_SECRET });
      return (event.data.payload.Accounts as { Id: string }[]).map((account) => account.Id);
    }

    it('keeps only the chosen account when Flinks’ webhook (every account) completes the retrieval', async () => {
      const { sim, proxy, forwarded } = await start();
      const page = await openHost(proxy, sim, { accountSelectorEnable: true });
      const frame = page.frameLocator('#connect');
      await linkInConnect(frame, 'greatday_nomfa');
      const options = frame.getByTestId('account-option');
      await options.nth(1).waitFor();
      expect(await options.count()).toBe(3);
      const chosen = await options.nth(1).getAttribute('value');
      await options.nth(1).check();
      await frame.getByTestId('submit-accounts').click();

      const linked = await pageValue<{ connectionId: string; accountIds: string[] }>(
        page,
        'linked',
      );
      expect(linked.accountIds).toEqual([chosen]);
      // The proxy's GetAccountsDetail is pending upstream (the clock does not move); Flinks'
      // webhook for that RequestId carries all three accounts.
      const deadline = Date.now() + 15_000;
      const requestIdOf = () =>
        sim.requests().find((r) => r.endpoint === 'GetAccountsDetail')?.requestId;
      while (!requestIdOf()) {
        if (Date.now() > deadline) throw new Error('the proxy never called GetAccountsDetail');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await sim.sendWebhook(requestIdOf() as string)).toMatchObject({ delivered: true });

      const summary = await pageValue<AccountsResponse>(page, 'summary');
      expect(summary.view === 'summary' && summary.accounts.map((account) => account.id)).toEqual([
        chosen,
      ]);
      const full = await pageValue<AccountsResponse>(page, 'full');
      expect(
        full.view === 'full' && (full.payload.Accounts as { Id: string }[]).map((a) => a.Id),
      ).toEqual([chosen]);
      expect(await forwardedIds(forwarded)).toEqual([chosen]);
    });

    it('retrieves only the accounts chosen with accountSelectorMultiple, by polling', async () => {
      const { sim, clock, proxy, forwarded } = await start();
      const page = await openHost(proxy, sim, {
        accountSelectorEnable: true,
        accountSelectorMultiple: true,
      });
      const frame = page.frameLocator('#connect');
      await linkInConnect(frame, 'greatday_nomfa');
      const options = frame.getByTestId('account-option');
      await options.nth(2).waitFor();
      const chosen = [
        await options.nth(0).getAttribute('value'),
        await options.nth(2).getAttribute('value'),
      ];
      await options.nth(2).check(); // the first one is checked already
      await frame.getByTestId('submit-accounts').click();

      const linked = await pageValue<{ connectionId: string; accountIds: string[] }>(
        page,
        'linked',
      );
      expect(linked.accountIds).toEqual(chosen);
      const response = await fetch(`${proxy.url}/v1/connections/${linked.connectionId}`, {
        headers: {
          authorization: `Bearer ${signUserToken({ userId: 'alice', secret: USER_SECRET })}`,
        },
      });
      expect(((await response.json()) as ConnectionResponse).connection.status).not.toBe('ready');
      clock.advance(60_000); // Flinks finishes; the next poll brings the filtered accounts

      const summary = await pageValue<AccountsResponse>(page, 'summary');
      expect(summary.view === 'summary' && summary.accounts.map((account) => account.id)).toEqual(
        chosen,
      );
      expect(await forwardedIds(forwarded)).toEqual(chosen);
    });
  },
);
