// @vitest-environment node
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../tsup.config';

const outDir = await mkdtemp(join(tmpdir(), 'flinkit-react-build-'));

describe('the published build', () => {
  beforeAll(async () => {
    await build({ ...config, dts: false, sourcemap: false, outDir, silent: true });
  }, 30_000);
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it.each(['index.js', 'index.cjs'])('%s starts with the "use client" directive', async (file) => {
    const code = await readFile(join(outDir, file), 'utf8');
    expect(code.split('\n')[0]).toBe("'use client';");
  });

  it('imports React and the core instead of bundling them', async () => {
    const code = await readFile(join(outDir, 'index.js'), 'utf8');
    expect(code).toMatch(/from"@flinkit\/core"/);
    expect(code).toMatch(/from"react"/);
    expect(code).toMatch(/from"react\/jsx-runtime"/);
    expect(code).not.toContain('__SECRET_INTERNALS');
    expect(code).not.toMatch(/function createFlinksConnect/);
  });
});
