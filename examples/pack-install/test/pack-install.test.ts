import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  browserAvailable,
  collectPageErrors,
  launchBrowser,
  linkInConnect,
} from '@flinkit/test-browser';
import { freePort } from '@flinkit/test-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Background, run, start, waitFor200 } from '../src/processes';
import { installTarballs, packPublishedPackages } from '../src/tarballs';

const browserReady = browserAvailable('examples/pack-install');
// The simulator's Toolbox credentials (public values, see the simulator's README).
const FLINKS = {
  FLINKS_CUSTOMER_ID: '43387ca6-0391-4c82-857d-70d95f087ecb',
  FLINKS_SECRET_KEY: 'c4569c54-e167-4d34-8de6-f4113bc82414',
  FLINKS_API_KEY: '3d5266a8-b697-48d4-8de6-52e2e2662acc',
};

const HOOK_PROBE = `
function Probe() {
  const flinks = useFlinksConnect({ proxyUrl: 'http://127.0.0.1:9' });
  return createElement('p', null, \`\${typeof FlinksConnect} \${flinks.status}\`);
}
console.log(renderToString(createElement(Probe)));
`;

describe('the published packages, from pnpm pack tarballs installed with npm', () => {
  let work = '';
  let project = '';
  let proxyUrl = '';
  let simulator: Background | undefined;
  let proxy: Background | undefined;
  let pages: Server | undefined;
  let pagesUrl = '';

  const npx = (args: string[], env: Record<string, string> = {}) =>
    run('npx', args, { cwd: project, env });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'flinkit-tarballs-'));
    project = join(work, 'app');
    await mkdir(project);
    const tarballs = await packPublishedPackages(join(work, 'tarballs'));
    await installTarballs(project, tarballs, ['react@19', 'react-dom@19']);

    const [simulatorPort, proxyPort, pagesPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    pagesUrl = `http://127.0.0.1:${pagesPort}`;
    simulator = start('npx', ['flinkit-simulator', '--port', String(simulatorPort)], {
      cwd: project,
    });
    const flinksUrl = `http://127.0.0.1:${simulatorPort}`;
    await waitFor200(`${flinksUrl}/v2/`, simulator);

    const key = (await npx(['flinkit', 'keygen'])).stdout.trim();
    const tokenSecret = 'from-tarballs-user-token-secret-0123456789';
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    proxy = start('npx', ['flinkit', 'serve'], {
      cwd: project,
      env: {
        ...FLINKS,
        FLINKS_API_URL: flinksUrl,
        FLINKS_CONNECT_URL: `${flinksUrl}/v2/`,
        FLINKS_DEMO: 'true',
        FLINKIT_ENCRYPTION_KEYS: key,
        FLINKIT_USER_TOKEN_SECRET: tokenSecret,
        FLINKIT_ALLOWED_ORIGINS: pagesUrl,
        FLINKIT_POLL_INTERVAL_MS: '200',
        PORT: String(proxyPort),
      },
    });
    await waitFor200(`${proxyUrl}/readyz`, proxy);

    // A page that loads flinkit.js from the installed package, and a token route that hands
    // out a token made by the installed CLI.
    const fromProject = createRequire(join(project, 'package.json'));
    const widget = await readFile(fromProject.resolve('@flinkit/widget/flinkit.js'), 'utf8');
    const token = (
      await npx(['flinkit', 'token', '--user', 'alice'], { FLINKIT_USER_TOKEN_SECRET: tokenSecret })
    ).stdout.trim();
    const html = `<!doctype html><meta charset="utf-8"><title>from tarballs</title><link rel="icon" href="data:,">
      <div data-flinkit data-proxy-url="${proxyUrl}" data-token-url="/token"></div>
      <script src="/flinkit.js" async></script>`;
    pages = createServer((request, response) => {
      const [type, body] =
        request.url === '/flinkit.js'
          ? ['text/javascript', widget]
          : request.url === '/token'
            ? ['text/plain', token]
            : ['text/html', html];
      response.writeHead(200, { 'content-type': type }).end(body);
    });
    await new Promise<void>((resolve) => pages?.listen(pagesPort, '127.0.0.1', resolve));
  }, 360_000);

  afterAll(async () => {
    await new Promise((resolve) => (pages ? pages.close(resolve) : resolve(undefined)));
    await proxy?.stop();
    await simulator?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 30_000);

  it('runs npx flinkit serve, ready on its default SQLite database', async () => {
    const ready = await fetch(`${proxyUrl}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect(existsSync(join(project, '.flinkit', 'flinkit.db'))).toBe(true);
  });

  it('imports the hook from @flinkit/react as ESM and as CommonJS, and renders it on the server', async () => {
    await writeFile(
      join(project, 'hook.mjs'),
      `import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { FlinksConnect, useFlinksConnect } from '@flinkit/react';
${HOOK_PROBE}`,
    );
    await writeFile(
      join(project, 'hook.cjs'),
      `const { createElement } = require('react');
const { renderToString } = require('react-dom/server');
const { FlinksConnect, useFlinksConnect } = require('@flinkit/react');
${HOOK_PROBE}`,
    );
    for (const file of ['hook.mjs', 'hook.cjs']) {
      const { stdout } = await run('node', [file], { cwd: project });
      expect(stdout.trim(), file).toBe('<p>function idle</p>');
    }
  });

  it.skipIf(!browserReady)(
    "links greatday_nomfa with the installed widget's flinkit.js against the installed proxy",
    async () => {
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        const errors = collectPageErrors(page);
        await page.goto(`${pagesUrl}/`);
        const completed = page.evaluate(
          () =>
            new Promise<{ connection: { status: string } }>((resolve, reject) => {
              setTimeout(() => reject(new Error('no flinkit:complete within 30 s')), 30_000);
              document.addEventListener('flinkit:complete', (event) =>
                resolve((event as CustomEvent).detail),
              );
            }),
        );
        await linkInConnect(page.frameLocator('[data-flinkit] iframe'), 'greatday_nomfa');
        expect((await completed).connection.status).toBe('ready');
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
