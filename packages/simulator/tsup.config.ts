import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/msw.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // connect-page.ts finds its assets through import.meta.url, also in the CJS build.
  shims: true,
  external: ['msw'],
});
