import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** One measured file set: its gzip -9 size and the files it is made of. */
export interface SizeFigure {
  name: string;
  gzipBytes: number;
  files: string[];
}

/** gzip -9 size of `buffer`, as `gzip -9` would compress it. */
export function gzipSize(buffer: Buffer): number {
  return gzipSync(buffer, { level: 9 }).length;
}

/**
 * The files an ESM entry pulls in from its own package: the entry plus every relative
 * `import`/`export … from './chunk.js'` (tsup chunks), transitively. Bare imports (`react`,
 * `@flinkit/core`, `zustand/vanilla`) are dependencies, not part of the file set.
 */
export function localModuleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(
      /(?:import|export)[^'"]*?from\s*["'](\.{1,2}\/[^'"]+)["']/g,
    )) {
      visit(resolve(dirname(file), match[1] as string));
    }
    for (const match of source.matchAll(/import\s*\(?\s*["'](\.{1,2}\/[^'"]+)["']/g)) {
      visit(resolve(dirname(file), match[1] as string));
    }
  };
  visit(entry);
  return [...seen];
}

/** gzip size of a file set, each file compressed on its own (as a browser fetches them). */
export function measureFiles(name: string, files: string[]): SizeFigure {
  const gzipBytes = files.reduce((sum, file) => sum + gzipSize(readFileSync(file)), 0);
  return { name, gzipBytes, files: files.map((file) => file.replace(`${root}/`, '')) };
}

/** A built artefact, or why it could not be measured. */
export type SizeResult = SizeFigure | { name: string; error: string };

function measureBuilt(name: string, packageDir: string, file: string): SizeResult {
  const path = join(root, packageDir, file);
  if (!existsSync(path)) {
    // turbo builds before `bench`; when run directly, build the missing package with the
    // repository's own pnpm (the root devDependency), once.
    try {
      execFileSync(
        process.execPath,
        [join(root, 'node_modules/pnpm/bin/pnpm.cjs'), 'run', 'build'],
        {
          cwd: join(root, packageDir),
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
    } catch {
      return { name, error: `${packageDir} has no ${file} and its build failed` };
    }
    if (!existsSync(path)) return { name, error: `${packageDir} build made no ${file}` };
  }
  return measureFiles(name, localModuleGraph(path));
}

/**
 * Budgets of the three browser artefacts (apps/docs/architecture.md#budgets), gzip bytes
 * (1 KB = 1024 B).
 */
export const SIZE_BUDGETS = { widget: 13 * 1024, core: 4.5 * 1024, react: 1024 } as const;

/** Our three browser artefacts (apps/docs/architecture.md#budgets). */
export function measureOwnSizes(): { widget: SizeResult; core: SizeResult; react: SizeResult } {
  return {
    widget: measureBuilt('flinkit.js (widget IIFE)', 'packages/widget', 'dist/flinkit.js'),
    core: measureBuilt('@flinkit/core ESM', 'packages/core', 'dist/index.js'),
    react: measureBuilt('@flinkit/react ESM', 'packages/react', 'dist/index.js'),
  };
}

// What `flinkit.js` takes from its dependencies (every name the widget imports from them).
const BASELINE_ENTRY = `export { Fragment, h, render } from 'preact';
export { createFlinksConnect, FlinkitError, IFRAME_SANDBOX, isLinkable } from '@flinkit/core';`;

/** The part of Vite's API the baseline build uses (Vite is the widget's dependency, not ours). */
interface ViteBuild {
  build(config: Record<string, unknown>): Promise<unknown>;
}

/** The part of a Rollup plugin context the baseline's resolver uses. */
interface PluginContext {
  resolve(source: string, importer: string, options: { skipSelf: boolean }): Promise<unknown>;
}

/**
 * The baseline of the widget's budget: what `flinkit.js` bundles before any widget code (preact
 * and `@flinkit/core` with its zustand), built by the widget's own Vite config, minifier and Vite
 * into one IIFE, so `flinkit.js` minus this is the widget's own share.
 */
export async function measureWidgetBaseline(): Promise<SizeResult> {
  const name = 'preact + @flinkit/core alone, in the widget build (no widget code)';
  const widgetDir = join(root, 'packages/widget');
  const outDir = mkdtempSync(join(tmpdir(), 'bench-widget-baseline-'));
  const entry = join(outDir, 'entry.js');
  // Imports of the entry resolve as the widget's own source would resolve them.
  const asWidget = join(widgetDir, 'src/index.ts');
  try {
    writeFileSync(entry, BASELINE_ENTRY);
    const vitePath = createRequire(join(widgetDir, 'package.json')).resolve('vite');
    const vite = (await import(pathToFileURL(vitePath).href)) as ViteBuild;
    await vite.build({
      root: widgetDir,
      configFile: join(widgetDir, 'vite.iife.config.ts'),
      logLevel: 'silent',
      plugins: [
        {
          name: 'flinkit-baseline-imports',
          resolveId(this: PluginContext, source: string, importer: string | undefined) {
            return importer === entry ? this.resolve(source, asWidget, { skipSelf: true }) : null;
          },
        },
      ],
      build: {
        outDir,
        emptyOutDir: false,
        sourcemap: false,
        lib: { entry, name: 'FlinkitBaseline', formats: ['iife'], fileName: () => 'baseline.js' },
      },
    });
    return measureFiles(name, [join(outDir, 'baseline.js')]);
  } catch (error) {
    return { name, error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The ESM entry file of an installed package, as its `exports` or `module` field names it. */
export function esmEntryOf(packageName: string): string {
  // Read from the bench's own node_modules: some packages do not export `./package.json`.
  const manifestPath = realpathSync(
    join(root, 'apps/bench/node_modules', packageName, 'package.json'),
  );
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    module?: string;
    exports?: { '.'?: { import?: string | { default?: string } } };
  };
  const fromExports = manifest.exports?.['.']?.import;
  const relative =
    (typeof fromExports === 'string' ? fromExports : fromExports?.default) ?? manifest.module;
  if (!relative) throw new Error(`${packageName} publishes no ESM entry`);
  return join(dirname(manifestPath), relative);
}

/** What users would otherwise install: comparison rows, no budget. */
export function measureComparisonSizes(): SizeFigure[] {
  const plaid = esmEntryOf('react-plaid-link');
  const mx = esmEntryOf('@mxenabled/web-widget-sdk');
  const figures = [
    measureFiles('react-plaid-link 5.0.0 ESM', localModuleGraph(plaid)),
    measureFiles('@mxenabled/web-widget-sdk 0.0.15 ESM', localModuleGraph(mx)),
  ];
  const mxMin = mx.replace(/\.js$/, '.min.js');
  if (existsSync(mxMin)) {
    figures.push(measureFiles('@mxenabled/web-widget-sdk 0.0.15 ESM (.min.js)', [mxMin]));
  }
  return figures;
}
