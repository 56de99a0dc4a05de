import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2020',
  // The published budget is 1 KB gzip without core and React; source maps keep it debuggable.
  minify: true,
  // React and the core are the app's to provide (peer) or shared with other flinkit packages.
  external: ['react', '@flinkit/core'],
  // Every export is a hook or a component: mark the entry as client code for RSC frameworks.
  banner: { js: "'use client';" },
});
