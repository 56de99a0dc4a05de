import { createRequire } from 'node:module';

/**
 * Setup file of `vitest.react18.config.ts`. Vite's alias covers the code Vitest transforms, but
 * React, react-dom and @testing-library/react are CommonJS that Node loads itself: their own
 * `require('react')` would find React 19 (pnpm links react-dom-18 beside react@19). Pointing
 * Node's resolver at `react-18` / `react-dom-18` gives the whole worker one React 18.
 */
type ResolveFilename = (request: string, ...rest: unknown[]) => string;
const nodeModule = createRequire(import.meta.url)('node:module') as {
  _resolveFilename: ResolveFilename;
};
const requireHere = createRequire(import.meta.url);
const resolveFilename = nodeModule._resolveFilename;

nodeModule._resolveFilename = function (this: unknown, request, ...rest) {
  const match = /^(react|react-dom)(\/.*)?$/.exec(request);
  if (match) return requireHere.resolve(`${match[1]}-18${match[2] ?? ''}`);
  return resolveFilename.call(this, request, ...rest);
};
