import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('@flinkit/proxy entry points', () => {
  it('imports and serves without better-sqlite3, pg or the Node server; /node needs them', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@flinkit/source',
        '--import',
        './scripts/without-native.mjs',
        'src/test/fetch-native-child.ts',
      ],
      { cwd: PACKAGE_ROOT, timeout: 60_000 },
    );
    const result = JSON.parse(stdout.trim()) as { readyz: number; node: string };
    expect(result.readyz).toBe(200);
    // The control: the same environment really refuses the Node-only entry.
    expect(result.node).toMatch(/without-native: (better-sqlite3|pg|@hono\/node-server)/);
  }, 60_000);
});
