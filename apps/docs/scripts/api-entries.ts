import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The packages whose TypeScript API the site documents: the one list to extend. Each one's
 * entry points are read from its `package.json` `exports` (every subpath with a
 * `@flinkit/source` condition), so a new subpath such as `@flinkit/proxy/node` is picked up
 * without touching this file.
 */
export const DOCUMENTED_PACKAGES = [
  '@flinkit/core',
  '@flinkit/react',
  '@flinkit/widget',
  '@flinkit/proxy',
  '@flinkit/simulator',
] as const;

/** One documented entry point, such as `@flinkit/core/wire`. */
export interface ApiEntry {
  /** `@flinkit/core` */
  packageName: string;
  /** The import specifier: `@flinkit/core` or `@flinkit/core/wire`. */
  specifier: string;
  /** Absolute path of the entry's source file (its `@flinkit/source` target). */
  sourceFile: string;
  /** Folder of the entry's pages under `api/`: `core`, `core-wire`. */
  slug: string;
}

type ExportTarget = string | { [condition: string]: ExportTarget } | null;

const require = createRequire(import.meta.url);

/** Every entry point of {@link DOCUMENTED_PACKAGES}, in that order. */
export function apiEntries(): ApiEntry[] {
  return DOCUMENTED_PACKAGES.flatMap((packageName) => {
    const manifestPath = require.resolve(`${packageName}/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      exports?: Record<string, ExportTarget>;
    };
    return Object.entries(manifest.exports ?? {}).flatMap(([subpath, target]) => {
      const source =
        typeof target === 'object' && target !== null ? target['@flinkit/source'] : null;
      if (typeof source !== 'string') return [];
      const specifier = subpath === '.' ? packageName : `${packageName}/${subpath.slice(2)}`;
      return [
        {
          packageName,
          specifier,
          sourceFile: join(dirname(manifestPath), source),
          slug: specifier.replace(/^@flinkit\//, '').replaceAll('/', '-'),
        },
      ];
    });
  });
}
