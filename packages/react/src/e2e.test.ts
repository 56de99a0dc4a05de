// @vitest-environment node
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, startServer } from '@flinkit/proxy/node';
import { signUserToken } from '@flinkit/proxy/webhooks';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import {
  browserAvailable,
  FORGED_LOGIN,
  launchBrowser,
  linkInConnect,
  pageHarm,
  sendForgedMessages,
} from '@flinkit/test-browser';
import react from '@vitejs/plugin-react';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const browserReady = browserAvailable('react e2e');
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const USER_TOKEN_SECRET = randomBytes(32).toString('hex');

/** Builds `test-e2e-page.tsx` into `outDir` as `page.js` (production React, our source). */
async function buildPage(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: packageRoot,
    logLevel: 'silent',
    publicDir: false,
    plugins: [react()],
    resolve: { conditions: ['@flinkit/source', 'module', 'browser', 'production'] },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      rollupOptions: {
        input: join(packageRoot, 'src/test-e2e-page.tsx'),
        output: { entryFileNames: 'page.js', format: 'es' },
      },
    },
  });
}

/** Serves `index.html` and `page.js` on a free port of 127.0.0.1. */
async function servePage(dir: string): Promise<{ url: string; server: Server }> {
  const html =
    '<!doctype html><meta charset="utf-8"><title>flinkit e2e</title><div id="root"></div><script type="module" src="/page.js"></script>';
  const script = await readFile(join(dir, 'page.js'), 'utf8');
  const server = createServer((request, response) => {
    const isScript = request.url === '/page.js';
    response.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
    response.end(isScript ? script : html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

describe('<FlinksConnect> end to end (Chromium, simulator, proxy)', () => {
  let dir = '';
  let simulator: Simulator | undefined;
  let proxy: RunningServer | undefined;
  let page: { url: string; server: Server } | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!browserReady) return;
    dir = await mkdtemp(join(tmpdir(), 'flinkit-react-e2e-'));
    await buildPage(join(dir, 'page'));
    page = await servePage(join(dir, 'page'));
    simulator = await startSimulator({ processingMs: 300 });
    proxy = await startServer({
      port: 0,
      flinks: {
        apiUrl: simulator.apiUrl,
        customerId: simulator.customerId,
        secretKey: simulator.secretKey,
        apiKey: simulator.apiKey,
      },
      connect: { url: simulator.connectUrl, demo: true },
      userTokenSecret: USER_TOKEN_SECRET,
      allowedOrigins: [page.url],
      engineOptions: {
        databaseUrl: `sqlite:${join(dir, 'flinkit.db')}`,
        encryptionKeys: [{ id: 'e2e', key: randomBytes(32) }],
        pollIntervalMs: 100,
      },
      logger: { level: 'silent' },
    });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await simulator?.close();
    await new Promise((resolve) => page?.server.close(resolve) ?? resolve(undefined));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!browserReady)(
    'links greatday_nomfa in the simulator iframe until the proxy reports complete',
    async () => {
      if (!browser || !proxy || !page || !simulator) throw new Error('setup failed');
      const { secretKey, apiKey } = simulator;
      const proxyUrl = proxy.url;
      const token = signUserToken({ userId: 'user-e2e', secret: USER_TOKEN_SECRET });
      const context = await browser.newContext();
      await context.addInitScript(
        (config) => {
          window.FLINKIT_E2E = config;
        },
        { proxyUrl, token },
      );
      const tab = await context.newPage();
      const pageErrors: string[] = [];
      tab.on('pageerror', (error) => pageErrors.push(error.message));
      // Every body the proxy sent the browser (the SSE stream aside), to look for secrets. A body
      // that cannot be read is kept as a failure, never as empty text a scan would pass.
      const bodies: Promise<{ url: string; text: string } | { url: string; error: string }>[] = [];
      tab.on('response', (response) => {
        const url = response.url();
        if (url.startsWith(proxyUrl) && !url.includes('/events')) {
          bodies.push(
            response.text().then(
              (text) => ({ url, text }),
              (error: unknown) => ({ url, error: String(error) }),
            ),
          );
        }
      });
      try {
        await tab.goto(page.url);
        expect(await tab.getByTestId('react-version').textContent()).toMatch(/^19\./);
        const status = tab.getByTestId('status');
        await status.and(tab.locator('[data-status="ready"], [data-status="linking"]')).waitFor();
        expect(await tab.locator('iframe').getAttribute('title')).toBe('Connect your bank account');
        const src = await tab.locator('iframe').getAttribute('src');
        expect(src).toMatch(/[?&]authorizeToken=/);

        const connect = tab.frameLocator('iframe');
        await linkInConnect(connect, 'greatday_nomfa');

        await tab.locator('[data-status="complete"]').waitFor({ timeout: 20_000 });
        expect(await status.textContent()).toMatch(/^complete attempt=\d+/);
        expect(pageErrors).toEqual([]);
        // Connect's part ended with the link: the iframe went, as in the widget.
        expect(await tab.locator('iframe').count()).toBe(0);
        const read = await Promise.all(bodies);
        expect(read.filter((body) => 'error' in body)).toEqual([]);
        const texts = read.flatMap((body) => ('text' in body ? [body.text] : []));
        // The session (the Connect URL), the link (the connection) and the status reads at least.
        expect(texts.some((text) => text.includes('"url"'))).toBe(true);
        expect(texts.some((text) => text.includes('"connection"'))).toBe(true);
        for (const text of [...texts, src as string]) {
          expect(text).not.toContain(secretKey);
          expect(text).not.toContain(apiKey);
        }
      } finally {
        await context.close();
      }
    },
    60_000,
  );

  it.skipIf(!browserReady)(
    'ignores forged and hostile messages, then takes the genuine link (the control)',
    async () => {
      if (!browser || !proxy || !page || !simulator) throw new Error('setup failed');
      const other = createServer((_, response) => response.end('<!doctype html><title>x</title>'));
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const token = signUserToken({ userId: 'user-forged', secret: USER_TOKEN_SECRET });
      const context = await browser.newContext();
      await context.addInitScript(
        (config) => {
          window.FLINKIT_E2E = config;
        },
        { proxyUrl: proxy.url, token },
      );
      const tab = await context.newPage();
      const pageErrors: string[] = [];
      tab.on('pageerror', (error) => pageErrors.push(error.message));
      try {
        await tab.goto(page.url);
        await tab.locator('iframe').waitFor();
        const simulatorPort = new URL(simulator.url).port;
        await sendForgedMessages({
          page: tab,
          iframe: 'iframe',
          connectPage: `${simulator.url}/v2/app.css`,
          lookalikes: [
            `http://localhost:${simulatorPort}/v2/app.css`,
            `http://127.0.0.1:${(other.address() as AddressInfo).port}/`,
          ],
        });
        const linked = () => tab.evaluate(() => window.FLINKIT_LINKED);
        expect(await linked()).toEqual([]);

        await linkInConnect(tab.frameLocator('iframe'), 'greatday_nomfa');
        await tab.locator('[data-status="complete"]').waitFor({ timeout: 20_000 });
        const links = await linked();
        expect(links).toHaveLength(1);
        expect(links[0]?.loginId).toEqual(expect.any(String));
        expect(links[0]?.loginId).not.toMatch(FORGED_LOGIN);
        // Markup sent as an institution name was shown as text, never as markup.
        expect(await pageHarm(tab)).toEqual({
          prototypePolluted: false,
          markupRendered: false,
          scriptRan: false,
        });
        const list = (await (
          await fetch(`${proxy.url}/v1/connections`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as { connections: unknown[] };
        expect(list.connections).toHaveLength(1);
        expect(pageErrors).toEqual([]);
      } finally {
        await context.close();
        await new Promise((resolve) => other.close(resolve));
      }
    },
    90_000,
  );
});
