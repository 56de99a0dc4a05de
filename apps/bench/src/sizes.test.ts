import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  esmEntryOf,
  gzipSize,
  localModuleGraph,
  measureComparisonSizes,
  measureWidgetBaseline,
} from './sizes';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('sizes', () => {
  it('follows relative chunk imports and leaves bare dependencies out', () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-sizes-'));
    writeFileSync(
      join(dir, 'index.js'),
      'import{a}from"./chunk-1.js";import"react";export{b}from"./chunk-2.js";',
    );
    writeFileSync(join(dir, 'chunk-1.js'), 'import{c}from"./chunk-2.js";export const a=c;');
    writeFileSync(join(dir, 'chunk-2.js'), 'export const b=1,c=2;');
    const files = localModuleGraph(join(dir, 'index.js')).map((file) =>
      file.slice(dir!.length + 1),
    );
    expect(files.sort()).toEqual(['chunk-1.js', 'chunk-2.js', 'index.js']);
  });

  it('compresses repetitive text far below its raw size', () => {
    expect(gzipSize(Buffer.from('flinkit '.repeat(1000)))).toBeLessThan(100);
  });

  it('finds the published ESM entries of the comparison packages', () => {
    expect(esmEntryOf('react-plaid-link')).toMatch(/react-plaid-link\/dist\/index\.esm\.js$/);
    expect(esmEntryOf('@mxenabled/web-widget-sdk')).toMatch(/dist\/esm\/index\.js$/);
    const figures = measureComparisonSizes();
    console.log(figures.map((figure) => `${figure.name}: ${figure.gzipBytes} B gzip`).join('\n'));
    for (const figure of figures) expect(figure.gzipBytes).toBeGreaterThan(500);
  });

  it('builds the widget baseline: preact and core in one IIFE, without widget code', async () => {
    const figure = await measureWidgetBaseline();
    if ('error' in figure) throw new Error(figure.error);
    console.log(`${figure.name}: ${figure.gzipBytes} B gzip`);
    // Core's own ESM is about 4.2 KB and preact about 4.5 KB; together, a little less.
    expect(figure.gzipBytes).toBeGreaterThan(7 * 1024);
    expect(figure.gzipBytes).toBeLessThan(10 * 1024);
  });
});
