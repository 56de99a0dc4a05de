/**
 * `npx pnpm@10 --filter @flinkit/docs screenshots`: the quickstart's screenshots, taken from the
 * real playground in Chromium. It runs the playground exactly as `pnpm start` does (free ports,
 * a temporary state folder), links `greatday_nomfa` in the React demo and in the script-tag demo (inline, then in the
 * modal), and
 * writes `public/screenshots/*.png`. Not part of the build: run it when the pages change.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, linkInConnect, signInToConnect } from '@flinkit/test-browser';
import type { Page } from 'playwright-core';

const OUT = fileURLToPath(new URL('../public/screenshots/', import.meta.url));
const PLAYGROUND = fileURLToPath(new URL('../../playground/', import.meta.url));
const WIDGET = fileURLToPath(new URL('../../../packages/widget/', import.meta.url));
const STEP_TIMEOUT = 60_000;

/** Starts `src/start.ts` (what `pnpm start` runs) and resolves with the URL it prints. */
async function startPlayground(stateDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@flinkit/source', 'src/start.ts'],
    {
      cwd: PLAYGROUND,
      env: { ...process.env, FLINKIT_PLAYGROUND_PORTS: '0', FLINKIT_PLAYGROUND_DIR: stateDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no URL within 3 min:\n${output}`)), 180_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /Open (http:\/\/\S+)/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`the playground exited with ${code}:\n${output}`)),
    );
  });
  return { url, child };
}

/** Saves the page (or, with `fold`, only what the 1280×800 window shows) as `name.png`. */
async function shoot(page: Page, name: string, fold = false): Promise<void> {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: !fold });
  console.log(`screenshots: ${name}.png`);
}

// The playground serves packages/widget/dist/flinkit.js when it exists: build it from today's
// source, or the script-tag shots would show whatever an older build left there.
// The root's own pnpm (a devDependency of the workspace root).
const pnpm = fileURLToPath(new URL('../../../node_modules/pnpm/bin/pnpm.cjs', import.meta.url));
const built = spawnSync(process.execPath, [pnpm, 'run', 'build'], {
  cwd: WIDGET,
  stdio: 'inherit',
});
if (built.status !== 0) throw new Error('the widget build failed (see above)');

const stateDir = await mkdtemp(join(tmpdir(), 'flinkit-screenshots-'));
const { url, child } = await startPlayground(stateDir);
const browser = await launchBrowser();
try {
  await mkdir(OUT, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

  await page.goto(new URL('react/', url).href);
  const frame = page.frameLocator('iframe');
  await frame.getByTestId('consent-accept').click({ timeout: STEP_TIMEOUT });
  await frame.getByTestId('institution-FlinksCapital').waitFor({ timeout: STEP_TIMEOUT });
  await shoot(page, 'react-connect');
  await signInToConnect(frame, 'greatday_nomfa');
  await page.getByTestId('accounts').waitFor({ timeout: STEP_TIMEOUT });
  await page.getByTestId('balance-chart').first().waitFor({ timeout: STEP_TIMEOUT });
  await shoot(page, 'react-accounts', true);

  await page.goto(new URL('script-tag.html', url).href);
  await linkInConnect(page.frameLocator('#widget iframe'), 'greatday_nomfa');
  await page
    .locator('#event-log li[data-type="flinkit:complete"]')
    .waitFor({ timeout: STEP_TIMEOUT });
  await shoot(page, 'script-tag-complete');

  await page.goto(new URL('script-tag.html', url).href);
  await page.getByRole('button', { name: 'Link your bank' }).click();
  const dialog = page.getByRole('dialog', { name: 'Link your bank' });
  await linkInConnect(dialog.frameLocator('iframe'), 'greatday_nomfa');
  await dialog.getByText('Accounts linked').waitFor({ timeout: STEP_TIMEOUT });
  await shoot(page, 'script-tag-modal', true);

  await page.goto(url);
  await page.locator('.account-summary li').first().waitFor({ timeout: STEP_TIMEOUT });
  await shoot(page, 'playground-index');
} finally {
  await browser.close();
  child.kill('SIGINT');
  await new Promise((resolve) => child.once('exit', resolve));
  await rm(stateDir, { recursive: true, force: true });
}
