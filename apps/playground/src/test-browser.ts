import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SECURITY_QUESTIONS } from '@flinkit/simulator';
import { type Browser, chromium, type FrameLocator, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium, driven by playwright-core. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Screenshots of each final state land here (git-ignored). */
export const RESULTS_DIR = fileURLToPath(new URL('../test-results/', import.meta.url));

/**
 * True when the browser tests can run. Without Chromium they skip with a printed reason,
 * unless `FLINKIT_REQUIRE_BROWSER=1`, which makes the absence an error.
 */
export function hasBrowser(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.FLINKIT_REQUIRE_BROWSER === '1') {
    throw new Error(`FLINKIT_REQUIRE_BROWSER=1 but ${CHROMIUM_PATH} does not exist.`);
  }
  console.warn(`Skipping the playground browser tests: ${CHROMIUM_PATH} is not installed.`);
  return false;
}

/** Launches headless Chromium with the flags this machine needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Collects console errors, uncaught exceptions and CSP violations of a page. */
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

/** Saves a full-page screenshot as `test-results/<name>.png`. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: `${RESULTS_DIR}${name}.png`, fullPage: true });
}

function answerFor(prompt: string): string {
  const question = SECURITY_QUESTIONS.find((item) => item.en === prompt || item.fr === prompt);
  if (question === undefined) throw new Error(`No known answer to "${prompt}".`);
  return question.answer;
}

/**
 * Walks the simulator's Connect iframe as a person would: consent, FlinksCapital, username and
 * password `Everyday`, then every security question asked (Greatday).
 */
export async function linkInFrame(frame: FrameLocator, username: string): Promise<void> {
  await frame.getByTestId('consent-accept').click();
  await frame.getByTestId('institution-FlinksCapital').click();
  await frame.getByTestId('username').fill(username);
  await frame.getByTestId('password').fill('Everyday');
  await frame.getByTestId('submit-credentials').click();
}

/**
 * Answers the security questions (Greatday) until no question is left; returns how many.
 * The last answer links, and the page may then remove the iframe, so "no question" is done.
 */
export async function answerMfa(frame: FrameLocator): Promise<number> {
  const question = frame.getByTestId('mfa-question');
  await question.waitFor({ timeout: 15_000 });
  let answered = 0;
  while ((await question.count()) > 0) {
    if (answered >= 5) throw new Error('More than 5 security questions: the flow is looping.');
    const prompt = (await question.textContent()) ?? '';
    await frame.getByTestId('mfa-answer').fill(answerFor(prompt));
    await frame.getByTestId('submit-mfa').click();
    answered += 1;
    // The iframe replaces the form once the answer is checked: another question, or success.
    await expect
      .poll(async () => ((await question.count()) === 0 ? '' : await question.textContent()), {
        timeout: 15_000,
      })
      .not.toBe(prompt);
  }
  return answered;
}
