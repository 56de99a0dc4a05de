import { defineConfig } from 'vitest/config';

// No `@flinkit/source` condition: the app runs on the packages' built `dist/` (and the
// widget's built `flinkit.js`), as an installed app would; turbo builds them before `test`.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
