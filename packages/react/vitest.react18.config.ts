import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

// The same suite against React 18. `react` and `react-dom` (and subpaths such as `react-dom/client`,
// `react-dom/server`, `react/jsx-runtime`) point at the `react-18` / `react-dom-18` packages: the
// alias covers the code Vite transforms, and the setup file covers what Node loads itself
// (React, react-dom and @testing-library/react are CommonJS whose own `require('react')` would
// otherwise find React 19). `react-version.test.tsx` proves one React 18 ran everywhere.
// The one browser test (e2e.test.ts) runs in the default config only: it builds its own page.
export default mergeConfig(
  base,
  defineConfig({
    resolve: {
      alias: [
        { find: /^react-dom(\/.*)?$/, replacement: 'react-dom-18$1' },
        { find: /^react(\/.*)?$/, replacement: 'react-18$1' },
      ],
    },
    test: {
      env: { FLINKIT_REACT_MAJOR: '18' },
      setupFiles: ['./src/test-react18-setup.ts'],
      exclude: [...configDefaults.exclude, 'src/e2e.test.ts'],
    },
  }),
);
