import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { PlaygroundError } from './errors';

/** The demo pages' sources (Vite root). */
export const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

/** Where `pnpm start` writes the built pages. */
export const DEFAULT_PAGES_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

function widgetDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@flinkit/widget/package.json'));
}

/** Where the script-tag page's `flinkit.js` comes from. */
export type WidgetSource = 'built' | 'source' | 'auto';

/**
 * The widget's `flinkit.js` for the script-tag page. `'built'` takes
 * `packages/widget/dist/flinkit.js` (turbo's `^build` made it before `pnpm start`); `'source'`
 * (tests) builds it from the widget's current sources with the widget's own IIFE Vite config
 * into `workDir`, leaving the widget's `dist/` alone; `'auto'` is `'built'` when that file
 * exists, else `'source'`.
 *
 * @throws PlaygroundError `widget_missing` for `'built'` without a built file.
 */
export async function widgetScript(from: WidgetSource, workDir: string): Promise<string> {
  const directory = widgetDir();
  const builtFile = join(directory, 'dist', 'flinkit.js');
  const hasBuilt = (await stat(builtFile).catch(() => null)) !== null;
  if (from === 'source' || (from === 'auto' && !hasBuilt)) {
    const outDir = join(workDir, '.widget');
    await build({
      root: directory,
      configFile: join(directory, 'vite.iife.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    return join(outDir, 'flinkit.js');
  }
  if (!hasBuilt) {
    throw new PlaygroundError(
      'widget_missing',
      `${builtFile} does not exist. Build the widget first: npx pnpm@10 --filter @flinkit/widget build`,
      { recoverable: true },
    );
  }
  return builtFile;
}

/** Options of {@link buildPages}. */
export interface BuildPagesOptions {
  /** Output folder (emptied first). Default `apps/playground/dist/`. */
  outDir?: string;
  /** Where `flinkit.js` comes from, see {@link widgetScript}; default `'auto'`. */
  widget?: WidgetSource;
}

/**
 * Builds the demo pages with Vite: the index page and the React app (`react/`), copies the
 * static script-tag page and the widget's `flinkit.js` beside them. Resolves with the folder.
 *
 * @throws PlaygroundError `build_failed` or `widget_missing`.
 */
export async function buildPages(options: BuildPagesOptions = {}): Promise<string> {
  const outDir = options.outDir ?? DEFAULT_PAGES_DIR;
  const widgetOut = await mkdtemp(join(tmpdir(), 'flinkit-widget-'));
  try {
    await buildDemo(outDir, await widgetScript(options.widget ?? 'auto', widgetOut));
  } finally {
    await rm(widgetOut, { recursive: true, force: true });
  }
  return outDir;
}

async function buildDemo(outDir: string, script: string): Promise<void> {
  try {
    await build({
      configFile: false,
      root: WEB_DIR,
      base: '/',
      logLevel: 'warn',
      publicDir: join(WEB_DIR, 'public'),
      plugins: [react()],
      resolve: { conditions: ['@flinkit/source', 'module', 'browser', 'development|production'] },
      build: {
        outDir,
        emptyOutDir: true,
        reportCompressedSize: false,
        rollupOptions: {
          input: {
            index: join(WEB_DIR, 'index.html'),
            react: join(WEB_DIR, 'react', 'index.html'),
          },
        },
      },
    });
  } catch (error) {
    throw new PlaygroundError(
      'build_failed',
      `Vite could not build the demo pages: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  await copyFile(script, join(outDir, 'flinkit.js'));
}
