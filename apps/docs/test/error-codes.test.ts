import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backticked, REPO_ROOT, siteTables } from './markdown';

/** The packages whose errors a user can see. */
const PACKAGES = ['core', 'react', 'widget', 'proxy', 'simulator'];

/**
 * Codes the code constructs that can never reach a user of flinkit, with the reason. Each must
 * still be in the code (checked below), so an entry cannot outlive its reason unnoticed.
 */
const NEVER_SEEN: Record<string, string> = {
  retrieval_timed_out:
    "core's fallback for a failed or timed-out connection without an error; the flinkit proxy always sends one (`timed_out` at least, connection-view.ts)",
};

// How the packages build a user-visible error: `{ code: 'x', … }`, `new HttpError(404, 'x'`,
// `new WidgetError('x'` and `new SimulatorError('x'`.
const PATTERNS = [
  /\bcode:\s*'([a-z][a-z0-9_]*)'/g,
  /\bnew HttpError\(\s*\d{3},\s*'([a-z][a-z0-9_]*)'/g,
  /\bnew (?:WidgetError|SimulatorError)\(\s*'([a-z][a-z0-9_]*)'/g,
];

/** Every error code in the source of {@link PACKAGES}, with the files that construct it. */
async function codesInSource(): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const name of PACKAGES) {
    const dir = join(REPO_ROOT, 'packages', name, 'src');
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    for (const entry of entries) {
      if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      // Tests, their helpers (test-*.ts) and fixture folders (src/test/) build no user's error.
      if (/\.test\.|^test-/.test(entry.name) || /(^|\/)test\//.test(relative(dir, path))) continue;
      // Comments may show made-up examples: only code counts.
      const code = (await readFile(path, 'utf8'))
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
        .join('\n');
      for (const pattern of PATTERNS) {
        for (const match of code.matchAll(pattern)) {
          const value = match[1] ?? '';
          found.set(value, [...(found.get(value) ?? []), relative(REPO_ROOT, path)]);
        }
      }
    }
  }
  return found;
}

/** Every code in a `code` column of the site's tables, with the pages that list it. */
async function codesInDocs(): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const table of await siteTables()) {
    const column = table.header.indexOf('code');
    if (column < 0) continue;
    for (const row of table.rows) {
      for (const value of backticked(row[column] ?? '')) {
        found.set(value, [...(found.get(value) ?? []), table.file]);
      }
    }
  }
  return found;
}

describe('error tables', () => {
  it('list every error code the code can produce', async () => {
    const [source, docs] = await Promise.all([codesInSource(), codesInDocs()]);
    expect(source.size, 'the scan found no code: the patterns no longer match').toBeGreaterThan(20);
    const missing = [...source]
      .filter(([code]) => !docs.has(code) && !(code in NEVER_SEEN))
      .map(([code, files]) => `${code} (from ${[...new Set(files)].join(', ')})`);
    if (missing.length > 0)
      console.error(`codes missing from the error tables:\n  ${missing.join('\n  ')}`);
    expect(missing).toEqual([]);
  });

  it('list no code that the code cannot produce', async () => {
    const [source, docs] = await Promise.all([codesInSource(), codesInDocs()]);
    const unknown = [...docs]
      .filter(([code]) => !source.has(code) || code in NEVER_SEEN)
      .map(([code, pages]) => `${code} (in ${[...new Set(pages)].join(', ')})`);
    if (unknown.length > 0)
      console.error(`codes in the tables that never arrive:\n  ${unknown.join('\n  ')}`);
    expect(unknown).toEqual([]);
  });

  it('keep each never-seen exception tied to code that still exists', async () => {
    const source = await codesInSource();
    expect(Object.keys(NEVER_SEEN).filter((code) => !source.has(code))).toEqual([]);
  });
});
