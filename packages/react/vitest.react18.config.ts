import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

// The same suite against React 18. `react` and `react-dom` (and subpaths such as `react-dom/client`,
// `react-dom/server`, `react/jsx-runtime`) point at the `react-18` / `react-dom-18` packages: the
// alias covers the code Vite transforms, and the setup file covers what Node loads itself
// (React, react-dom and @testing-library/react are CommonJS whose own `require('react')` would
// otherwise find React 19). `react-version.test.tsx` proves one React 18 ran everywhere.
// Two files run in the default config only: the browser test (e2e.test.ts), which builds its own
// page, and the <Activity> test, a React 19.2 component (left out, not skipped, so no test skips).
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
      exclude: [
        ...configDefaults.exclude,
        'src/e2e.test.ts',
        'src/flinks-connect-activity.test.tsx',
      ],
    },
  }),
);
