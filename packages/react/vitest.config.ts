import { defineConfig } from 'vitest/config';

const conditions = ['@flinkit/source', 'module', 'browser', 'development|production'];

// `@flinkit/source` resolves sibling packages to their src/, so tests need no prior build.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: ['@flinkit/source', 'module', 'node', 'development|production'] } },
  test: {
    environment: 'happy-dom',
    env: { FLINKIT_REACT_MAJOR: '19' },
  },
});
