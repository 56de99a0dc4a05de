import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/wire.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // Minified: the ESM build has a gzip budget (DESIGN.md §7); the source map keeps it debuggable.
  minify: true,
  target: 'es2020',
});
