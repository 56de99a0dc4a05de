import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/wire.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // One self-contained file per entry: a shared chunk for the wire constants cost an extra request
  // and its own gzip overhead, against a budget (apps/docs/architecture.md#budgets) counted on
  // `dist/index.js`.
  splitting: false,
  // Minified with terser (smaller than esbuild's minifier here); the source map keeps it debuggable.
  minify: 'terser',
  terserOptions: { ecma: 2020, compress: { passes: 3 } },
  target: 'es2022',
});
