import { defineConfig } from 'vitest/config';

const conditions = ['@flinkit/source', 'module', 'node', 'development|production'];

// `@flinkit/source` resolves sibling packages to their src/, so the bench needs no prior build.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    environment: 'node',
    // Child processes, real sockets and SQLite files: generous per-test limits, honest totals.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
