// @vitest-environment node
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@flinkit/proxy/node';
import { signUserToken } from '@flinkit/proxy/webhooks';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import {
  browserAvailable,
  collectPageErrors,
  FORGED_LOGIN,
  launchBrowser,
  linkInConnect,
  pageHarm,
  sendForgedMessages,
} from '@flinkit/test-browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBundle, type Site, startSite } from './test-site';

/**
 * The widget's messaging stays closed to every window but its own Connect iframe, in a real
 * browser: forged REDIRECTs from the page, a sibling iframe, a popup and look-alike origins, a
 * script-built `MessageEvent`, and hostile payloads from the genuine iframe do nothing; then a
 * genuine link in the same page goes through (the control).
 */

const browserReady = browserAvailable('widget messaging');
const USER_SECRET = randomBytes(32).toString('hex');

describe.skipIf(!browserReady)('flinkit.js messaging in Chromium', () => {
  let simulator: Simulator;
  let proxy: RunningServer;
  let site: Site;
  let other: Server;
  let browser: Browser;
  let dataDir = '';

  beforeAll(async () => {
    const bundle = ensureBundle();
    simulator = await startSimulator({ processingMs: 300 });
    // A page on another port of the same host: an origin that differs from Connect's by port.
    other = createServer((_, response) => response.end('<!doctype html><title>other</title>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const simulatorPort = new URL(simulator.url).port;
    const target = { proxyUrl: '' };
    site = await startSite({
      bundle,
      page: () => ({
        body: `<main><div id="bank" data-flinkit data-proxy-url="${target.proxyUrl}" data-token-url="/token"></div></main>`,
      }),
      frameSrc: () =>
        `${simulator.url} http://localhost:${simulatorPort} http://127.0.0.1:${(other.address() as AddressInfo).port}`,
      connectSrc: () => target.proxyUrl,
      routes: (_, response, path) => {
        if (path !== '/token') return false;
        const token = signUserToken({ userId: 'alice', secret: USER_SECRET });
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ token }));
        return true;
      },
    });
    dataDir = mkdtempSync(join(tmpdir(), 'flinkit-widget-messaging-'));
    proxy = await startServer({
      port: 0,
      flinks: {
        apiUrl: simulator.apiUrl,
        customerId: simulator.customerId,
        secretKey: simulator.secretKey,
        apiKey: simulator.apiKey,
      },
      engineOptions: {
        databaseUrl: `sqlite:${join(dataDir, 'flinkit.db')}`,
        encryptionKeys: [{ id: 'k1', key: randomBytes(32) }],
        pollIntervalMs: 200,
      },
      connect: { url: simulator.connectUrl, demo: true },
      userTokenSecret: USER_SECRET,
      allowedOrigins: [site.url],
      logger: { level: 'silent' },
    });
    target.proxyUrl = proxy.url;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await simulator?.close();
    await site?.close();
    await new Promise((resolve) => (other ? other.close(resolve) : resolve(undefined)));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('ignores every forged or hostile message, then links greatday_nomfa for real', async () => {
    const tab = await browser.newPage();
    const errors = collectPageErrors(tab);
    await tab.goto(site.url);
    await tab.locator('#bank iframe').waitFor();
    const simulatorPort = new URL(simulator.url).port;

    await sendForgedMessages({
      page: tab,
      iframe: '#bank iframe',
      // A plain resource of each origin: a page that runs no Connect app of its own.
      connectPage: `${simulator.url}/v2/app.css`,
      lookalikes: [
        `http://localhost:${simulatorPort}/v2/app.css`,
        `http://127.0.0.1:${(other.address() as AddressInfo).port}/`,
      ],
    });
    const events = async () =>
      (await tab.evaluate('flinkitEvents')) as Array<{ type: string; detail: unknown }>;
    expect((await events()).filter((event) => event.type === 'flinkit:linked')).toEqual([]);
    expect(await pageHarm(tab)).toEqual({
      prototypePolluted: false,
      markupRendered: false,
      scriptRan: false,
    });

    // The control: the same widget still takes the genuine iframe's link.
    await linkInConnect(tab.frameLocator('#bank iframe'), 'greatday_nomfa');
    await tab
      .locator('#bank [role="status"]')
      .getByText('Accounts linked')
      .waitFor({ timeout: 30_000 });
    const linked = (await events()).filter((event) => event.type === 'flinkit:linked');
    expect(linked).toHaveLength(1);
    const { loginId } = linked[0]!.detail as { loginId: string };
    expect(loginId).toEqual(expect.any(String));
    expect(loginId).not.toMatch(FORGED_LOGIN);
    expect(JSON.stringify(await events())).not.toContain('forged-');

    // The proxy got one link only: the genuine one.
    const token = signUserToken({ userId: 'alice', secret: USER_SECRET });
    const list = (await (
      await fetch(`${proxy.url}/v1/connections`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { connections: unknown[] };
    expect(list.connections).toHaveLength(1);

    expect(await pageHarm(tab)).toEqual({
      prototypePolluted: false,
      markupRendered: false,
      scriptRan: false,
    });
    expect(await tab.evaluate('violations')).toEqual([]);
    expect(errors).toEqual([]);
    await tab.close();
  }, 120_000);
});
