import { defineConfig } from 'vite';

// ESM build for bundler users: @flinkit/core stays an import so the app's bundler dedupes it.
export default defineConfig({
  resolve: { conditions: ['@flinkit/source', 'module', 'browser', 'production'] },
  build: {
    target: 'es2022',
    minify: 'esbuild',
    sourcemap: true,
    emptyOutDir: true,
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'index.js' },
    rollupOptions: { external: [/^@flinkit\/core($|\/)/] },
  },
});
