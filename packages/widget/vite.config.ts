import { defineConfig } from 'vite';

// ESM build for bundler users: @flinkit/core and preact stay imports so the app's bundler dedupes them.
export default defineConfig({
  resolve: { conditions: ['@flinkit/source', 'module', 'browser', 'production'] },
  // Same JSX as tsconfig.json: preact's `h` (already in the bundle; no jsx-runtime module).
  esbuild: { jsx: 'transform', jsxFactory: 'h', jsxFragment: 'Fragment' },
  build: {
    target: 'es2022',
    minify: 'esbuild',
    sourcemap: true,
    emptyOutDir: true,
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'index.js' },
    rollupOptions: { external: [/^preact($|\/)/, /^@flinkit\/core($|\/)/] },
  },
});
