import { defineConfig } from 'vite';

// `flinkit.js` for a <script> tag: preact, zustand and @flinkit/core (from source, through the
// `@flinkit/source` condition, so core needs no build first) in one file, global `Flinkit`.
export default defineConfig({
  resolve: { conditions: ['@flinkit/source', 'module', 'browser', 'production'] },
  // Same JSX as tsconfig.json: the automatic runtime from preact.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact', legalComments: 'none' },
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    target: 'es2020',
    minify: 'esbuild',
    emptyOutDir: false,
    lib: { entry: 'src/iife.ts', name: 'Flinkit', formats: ['iife'], fileName: () => 'flinkit.js' },
  },
});
