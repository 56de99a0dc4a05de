import { defineConfig } from 'vitest/config';

const conditions = ['@flinkit/source', 'module', 'node', 'development|production'];

// `@flinkit/source` resolves the packages to their src/, so nothing needs building first.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts', 'snippets/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
