import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core: `/usr/bin/chromium`, or `FLINKIT_CHROMIUM_PATH`
 * (which CI never sets: it exists to prove that a missing browser fails the run).
 */
export const CHROMIUM_PATH = process.env.FLINKIT_CHROMIUM_PATH || '/usr/bin/chromium';

/** The flags this machine needs: no sandbox or GPU, and no background traffic. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * True when Chromium is installed, so the browser tests can run. Without it, prints why the
 * tests of `label` skip and returns false, unless `FLINKIT_REQUIRE_BROWSER=1`, which makes the
 * absence an error instead (for CI, where a silent skip would hide a broken image).
 */
export function browserAvailable(label: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.FLINKIT_REQUIRE_BROWSER === '1') {
    throw new Error(
      `[${label}] FLINKIT_REQUIRE_BROWSER=1 but ${CHROMIUM_PATH} is not installed: install Chromium there or unset FLINKIT_REQUIRE_BROWSER.`,
    );
  }
  console.warn(
    `[${label}] skipping the Chromium tests: ${CHROMIUM_PATH} is not installed (set FLINKIT_REQUIRE_BROWSER=1 to fail instead)`,
  );
  return false;
}

/** Launches headless Chromium from {@link CHROMIUM_PATH} with the flags this machine needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Collects what went wrong on a page from now on: console errors (in Chromium these include
 * CSP violations) and uncaught exceptions. The returned array fills as the page runs; a test
 * asserts it is empty.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(`console at ${message.location().url}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => errors.push(`pageerror on ${page.url()}: ${error.stack}`));
  return errors;
}
