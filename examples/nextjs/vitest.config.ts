import { defineConfig } from 'vitest/config';

const conditions = ['@flinkit/source', 'module', 'node', 'development|production'];

// The test process loads the simulator from source; the Next.js app itself uses the packages'
// built `dist/`, as an installed app would (turbo builds them before `test`).
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
