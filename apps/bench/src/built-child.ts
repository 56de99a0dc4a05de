import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const out = join(here, '..', '.children');

/**
 * Builds `packageDir` with its own `build` script when `file` is missing (turbo builds before
 * `pnpm bench`; a direct run of `src/bench.ts` may not have). Throws when the build fails.
 */
export function ensureBuilt(packageDir: string, file: string): string {
  const path = join(root, packageDir, file);
  if (!existsSync(path)) {
    execFileSync(process.execPath, [join(root, 'node_modules/pnpm/bin/pnpm.cjs'), 'run', 'build'], {
      cwd: join(root, packageDir),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (!existsSync(path)) throw new Error(`${packageDir} build made no ${file}`);
  }
  return path;
}

/**
 * Compiles the child `src/<file>` to plain JavaScript in `.children/`, with its own imports
 * (`./child`, `./stats`…) bundled and every package left to Node: `@flinkit/proxy` and
 * `@flinkit/simulator` then load their builds (`dist/`), as an installed proxy would, and the
 * measured process carries no TypeScript loader (tsx adds a loader thread of ~35 MB).
 */
export async function compileChild(file: string): Promise<string> {
  ensureBuilt('packages/proxy', 'dist/node.js');
  ensureBuilt('packages/simulator', 'dist/index.js');
  mkdirSync(out, { recursive: true });
  const outfile = join(out, basename(file).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join(here, file)],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  return outfile;
}
