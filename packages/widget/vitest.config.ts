import { defineConfig } from 'vitest/config';

// `@flinkit/source` resolves sibling packages to their src/, so tests need no prior build.
export default defineConfig({
  resolve: { conditions: ['@flinkit/source', 'module', 'browser', 'development|production'] },
  // The Chromium test runs in Node (`@vitest-environment node`) and starts the proxy and the
  // simulator from source too.
  ssr: { resolve: { conditions: ['@flinkit/source', 'module', 'node', 'development|production'] } },
  esbuild: { jsx: 'transform', jsxFactory: 'h', jsxFragment: 'Fragment' },
  test: {
    environment: 'happy-dom',
    // Iframes stay empty: no test may reach the network (the Connect page is faked per test).
    environmentOptions: {
      happyDOM: { settings: { navigation: { disableChildFrameNavigation: true } } },
    },
  },
});
