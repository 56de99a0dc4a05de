import { defineConfig } from 'vite';

// `flinkit.js` for a <script> tag: the widget, preact, @flinkit/core and its zustand (core from source,
// through the `@flinkit/source` condition, so core needs no build first) in one file, global `Flinkit`.
export default defineConfig({
  resolve: { conditions: ['@flinkit/source', 'module', 'browser', 'production'] },
  // Same JSX as tsconfig.json: preact's `h` (already in the bundle; no jsx-runtime module).
  esbuild: { jsx: 'transform', jsxFactory: 'h', jsxFragment: 'Fragment', legalComments: 'none' },
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    target: 'es2020',
    // terser: a few hundred bytes smaller than esbuild's minifier once gzipped.
    minify: 'terser',
    terserOptions: { ecma: 2020, compress: { passes: 2 } },
    emptyOutDir: false,
    lib: { entry: 'src/iife.ts', name: 'Flinkit', formats: ['iife'], fileName: () => 'flinkit.js' },
    // No `Symbol.toStringTag: 'Module'` on the global `Flinkit`.
    rollupOptions: { output: { generatedCode: { symbols: false } } },
  },
});
