import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/**
 * The host site of the Chromium tests: serves the built `flinkit.js` and one page under a strict
 * Content-Security-Policy (nonces only, no inline style), and records on the page what a test
 * asserts: CSP violations, `flinkit:*` events, and the `window` listeners flinkit.js holds.
 */

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE = join(PACKAGE, 'dist/flinkit.js');

/** Screenshots of the widget's states land here (git-ignored); look at them after a run. */
export const ARTIFACTS = join(PACKAGE, '.artifacts');

/** Builds `dist/flinkit.js` when it is missing or older than a source it bundles. */
export function ensureBundle(): string {
  const sources = [join(PACKAGE, 'src'), join(PACKAGE, '../core/src')].flatMap((dir) =>
    readdirSync(dir)
      .filter(
        (name) => /\.tsx?$/.test(name) && !name.includes('.test.') && !name.startsWith('test-'),
      )
      .map((name) => statSync(join(dir, name)).mtimeMs),
  );
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < Math.max(...sources)) {
    execFileSync(
      process.execPath,
      [join(PACKAGE, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.iife.config.ts'],
      { cwd: PACKAGE, stdio: 'pipe' },
    );
  }
  return readFileSync(BUNDLE, 'utf8');
}

const EVENTS = ['ready', 'linked', 'progress', 'complete', 'error', 'exit'];

// Before flinkit.js: record CSP violations, flinkit events, and window listeners by type.
const RECORDER = `
  window.violations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.flinkitEvents = [];
  for (const type of ${JSON.stringify(EVENTS)}) {
    document.addEventListener('flinkit:' + type, (e) =>
      flinkitEvents.push({ type: e.type, detail: e.detail }));
  }
  window.liveListeners = {};
  const add = window.addEventListener, remove = window.removeEventListener;
  // Only calls made by flinkit.js count (Playwright's own page scripts add listeners too).
  const count = (type, delta) => {
    if (new Error().stack.includes('/flinkit.js')) {
      liveListeners[type] = (liveListeners[type] || 0) + delta;
    }
  };
  window.addEventListener = function (type, listener, options) {
    count(type, 1);
    return add.call(this, type, listener, options);
  };
  window.removeEventListener = function (type, listener, options) {
    count(type, -1);
    return remove.call(this, type, listener, options);
  };`;

/** What the page holds: its body, and a stylesheet of its own (e.g. theming variables). */
export interface SitePage {
  body: string;
  css?: string;
  lang?: string;
}

export interface Site {
  url: string;
  nonce: string;
  close(): Promise<void>;
}

/**
 * Serves `/` (the page `page()` returns at request time), `/flinkit.js`, and whatever `routes`
 * answers (it returns false for a path it does not serve). `frameSrc` and `connectSrc` go into
 * the CSP.
 */
export async function startSite(options: {
  bundle: string;
  page: () => SitePage;
  frameSrc: () => string;
  connectSrc?: () => string;
  routes?: (request: IncomingMessage, response: ServerResponse, path: string) => boolean;
}): Promise<Site> {
  const nonce = randomBytes(16).toString('base64');
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/flinkit.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(options.bundle);
    } else if (path === '/') {
      const { body, css = '', lang = 'en' } = options.page();
      response
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': [
            "default-src 'none'",
            `script-src 'self' 'nonce-${nonce}'`,
            `style-src 'nonce-${nonce}'`,
            `frame-src ${options.frameSrc()}`,
            `connect-src 'self' ${options.connectSrc?.() ?? ''}`,
            "base-uri 'none'",
          ].join('; '),
        })
        .end(`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>flinkit widget</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script nonce="${nonce}">${RECORDER}</script>
<style nonce="${nonce}">body{margin:0;font-family:system-ui,sans-serif}main{max-width:34rem;margin:0 auto;padding:1.5rem}${css}</style>
<script src="/flinkit.js" nonce="${nonce}" async></script>
</head><body>${body}</body></html>`);
    } else if (!options.routes?.(request, response, path)) {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    nonce,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page (every rule of its default run, WCAG 2.x A and AA and best
 * practices) and returns the violations as `rule: target` lines. The Connect iframe's content is
 * Flinks' page (here the simulator's), not the widget's, so frames are left out.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated by the DevTools protocol, which the page's CSP does not govern.
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(AXE);
  const violations = (await page.evaluate(
    `axe.run(document, { iframes: false, resultTypes: ['violations'] }).then((result) =>
      result.violations.flatMap((violation) =>
        violation.nodes.map((node) => violation.id + ': ' + node.target.join(' ')
          + ' (' + node.failureSummary.replace(/\\s+/g, ' ') + ')')))`,
  )) as string[];
  return violations;
}

/** Saves a screenshot of the viewport as `.artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}
