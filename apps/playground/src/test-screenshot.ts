import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Screenshots of each final state land here (git-ignored). */
export const RESULTS_DIR = fileURLToPath(new URL('../test-results/', import.meta.url));

/** Saves a full-page screenshot as `test-results/<name>.png`. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: `${RESULTS_DIR}${name}.png`, fullPage: true });
}
