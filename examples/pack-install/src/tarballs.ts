import { readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './processes';

/** The checkout's root, where the README's commands run. */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The published packages, in the order a reader installs them. */
export const PUBLISHED = ['core', 'react', 'widget', 'proxy', 'simulator'] as const;

/**
 * Runs the documented pack command at the root of the checkout (after a build) and returns the
 * tarballs it wrote to `destination`, one per published package.
 */
export async function packPublishedPackages(destination: string): Promise<string[]> {
  await run(
    'npx',
    ['pnpm@10', '-r', '--filter', './packages/*', 'pack', '--pack-destination', destination],
    { cwd: REPO_ROOT },
  );
  const files = (await readdir(destination)).filter((name) => name.endsWith('.tgz'));
  return PUBLISHED.map((name) => {
    const file = files.find((candidate) => candidate.startsWith(`flinkit-${name}-`));
    if (!file) throw new Error(`pnpm pack wrote no tarball for @flinkit/${name}: ${files}`);
    return join(destination, file);
  });
}

/**
 * `npm install` of the tarballs (and `extra` packages from the registry) into the empty folder
 * `project`, as the README says.
 *
 * One difference, for time only: better-sqlite3 comes from this checkout's already built copy.
 * npm would otherwise compile it from source (about 3 minutes on 2 cores), because its
 * prebuilt binaries are on GitHub, which CI cannot reach. With that copy linked, no package
 * left in the tree has an install script, so scripts are off.
 */
export async function installTarballs(
  project: string,
  tarballs: readonly string[],
  extra: readonly string[] = [],
): Promise<void> {
  const fromProxy = createRequire(join(REPO_ROOT, 'packages', 'proxy', 'package.json'));
  const sqliteDir = dirname(fromProxy.resolve('better-sqlite3/package.json'));
  await writeFile(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'flinkit-from-tarballs',
        private: true,
        type: 'module',
        overrides: { 'better-sqlite3': `file:${sqliteDir}` },
      },
      null,
      2,
    )}\n`,
  );
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
      ...tarballs,
      ...extra,
    ],
    { cwd: project, timeoutMs: 300_000 },
  );
}
