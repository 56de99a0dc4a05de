import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiEntry, apiEntries } from '../scripts/api-entries';
import { generateApiReference } from '../scripts/generate-api';
import { DOCS_ROOT } from './markdown';

/** The names an entry file exports, as TypeScript sees them (re-exports and types included). */
function exportedNames(entries: ApiEntry[]): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(DOCS_ROOT, 'tsconfig.typedoc.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error('tsconfig.typedoc.json could not be read');
  const program = ts.createProgram(
    entries.map((entry) => entry.sourceFile),
    config.options,
  );
  const checker = program.getTypeChecker();
  return new Map(
    entries.map((entry) => {
      const file = program.getSourceFile(entry.sourceFile);
      const symbol = file && checker.getSymbolAtLocation(file);
      const names = symbol ? checker.getExportsOfModule(symbol).map((item) => item.name) : [];
      return [entry.specifier, names.sort()];
    }),
  );
}

/** The names an entry's page of the generated reference lists (links and headings). */
async function documentedNames(outDir: string, entry: ApiEntry): Promise<Set<string>> {
  const page = await readFile(
    join(outDir, entry.specifier.replace(/^@flinkit\//, ''), 'index.md'),
    'utf8',
  );
  const unescaped = page.replaceAll('\\_', '_');
  return new Set([
    ...Array.from(unescaped.matchAll(/^- \[([^\]]+)\]\(/gm), (match) => match[1] ?? ''),
    ...Array.from(unescaped.matchAll(/^#{2,4} (\S+)\s*$/gm), (match) => match[1] ?? ''),
  ]);
}

describe('the TypeScript API reference', () => {
  let outDir: string;
  const entries = apiEntries();
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'flinkit-api-'));
    await generateApiReference({ outDir });
  }, 120_000);
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('documents every entry point of the packages, including each exports subpath', () => {
    expect(entries.map((entry) => entry.specifier)).toEqual(
      expect.arrayContaining([
        '@flinkit/core',
        '@flinkit/core/wire',
        '@flinkit/simulator/msw',
        '@flinkit/proxy',
      ]),
    );
  });

  it('lists every exported name of every entry point', async () => {
    const exported = exportedNames(entries);
    const missing: string[] = [];
    for (const entry of entries) {
      const names = exported.get(entry.specifier) ?? [];
      expect(
        names.length,
        `${entry.specifier} exports nothing: the scan is broken`,
      ).toBeGreaterThan(0);
      const documented = await documentedNames(outDir, entry);
      for (const name of names)
        if (!documented.has(name)) missing.push(`${entry.specifier}: ${name}`);
    }
    if (missing.length > 0)
      console.error(`exported but not in the API reference:\n  ${missing.join('\n  ')}`);
    expect(missing).toEqual([]);
  });
});
