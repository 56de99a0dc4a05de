import { defineConfig } from 'vitest/config';

// `@flinkit/source` resolves sibling packages to their src/, so tests need no prior build.
export default defineConfig({
  resolve: { conditions: ['@flinkit/source', 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: ['@flinkit/source', 'module', 'node', 'development|production'] } },
  test: {
    environment: 'node',
  },
});
