import { defineConfig } from 'vitest/config';

const conditions = ['@flinkit/source', 'module', 'browser', 'development|production'];

// `@flinkit/source` resolves sibling packages to their src/, so tests need no prior build.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: ['@flinkit/source', 'module', 'node', 'development|production'] } },
  test: {
    environment: 'happy-dom',
    // Iframes stay empty: no test may reach the network (Connect's messages are posted by tests).
    environmentOptions: {
      happyDOM: { settings: { navigation: { disableChildFrameNavigation: true } } },
    },
    env: { FLINKIT_REACT_MAJOR: '19' },
  },
});
