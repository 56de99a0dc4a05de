import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backticked, DOCS_ROOT, REPO_ROOT, tablesOf } from './markdown';

/** Every variable `loadEnvConfig` reads: `read(env, 'NAME', …)`. */
async function variablesInCode(): Promise<string[]> {
  // Found by name, wherever the proxy's layout puts it.
  const dir = join(REPO_ROOT, 'packages/proxy/src');
  const files = await readdir(dir, { recursive: true });
  const path = files.find((file) => file.endsWith('env-config.ts'));
  if (!path) throw new Error('packages/proxy/src has no env-config.ts any more');
  const source = await readFile(join(dir, path), 'utf8');
  return [
    ...new Set(
      Array.from(
        source.matchAll(/\bread\(\s*env,\s*'([A-Z][A-Z0-9_]*)'/g),
        (match) => match[1] ?? '',
      ),
    ),
  ].sort();
}

/** The first column of the table under "## Environment" in the self-hosting page. */
async function variablesInDocs(): Promise<string[]> {
  const page = await readFile(join(DOCS_ROOT, 'guide/self-hosting.md'), 'utf8');
  const section = page.split(/^## /m).find((part) => part.startsWith('Environment\n')) ?? '';
  const table = tablesOf(section, 'guide/self-hosting.md').find(
    (item) => item.header[0] === 'variable',
  );
  return (table?.rows ?? []).flatMap((row) => backticked(row[0] ?? '')).sort();
}

describe('the environment table of the self-hosting page', () => {
  it('lists exactly the variables the proxy reads', async () => {
    const [code, docs] = await Promise.all([variablesInCode(), variablesInDocs()]);
    expect(code.length, 'the scan of env-config.ts found nothing').toBeGreaterThan(10);
    expect({
      missingFromDocs: code.filter((name) => !docs.includes(name)),
      notInCode: docs.filter((name) => !code.includes(name)),
    }).toEqual({ missingFromDocs: [], notInCode: [] });
  });
});
