import { defineConfig } from 'vitest/config';

// `@flinkit/source` resolves sibling packages to their src/, so tests need no prior build.
export default defineConfig({
  resolve: { conditions: ['@flinkit/source', 'module', 'browser', 'development|production'] },
  test: {
    environment: 'happy-dom',
  },
});
