/**
 * The proxy's layers (apps/docs/architecture.md#proxy), checked by `pnpm lint`. From the top:
 *
 *   entry points   src/index.ts (fetch-native), src/node.ts, src/webhooks.ts, src/cli.ts
 *   cli/           the `flinkit` commands
 *   http/          the Hono app, routes, SSE, auth, tickets, rate limits, OpenAPI, the Node server
 *   engine/        retrieval engine, steps, worker loop, outbox and delivery, status feed
 *   store/ flinks/ the Store and its dialects | the Flinks client; neither knows the other
 *   base/          errors, logger, crypto, the forward-webhook format: used by every layer
 *
 * A layer imports only the layers below it; tests (`*.test.ts`, `src/test/`) may import anything.
 * A broken rule fails `pnpm lint` with its name, e.g. `store-imports-only-base`.
 */
const ENTRY = '^src/[^/]+[.]ts$';
const TEST = '([.]test[.]ts$|^src/test/)';

/** Files of `folder` (tests aside) may not import `forbidden` folders, nor any entry point. */
const layer = (name, folder, forbidden, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: `^src/${folder}/`, pathNot: TEST },
  to: { path: `^src/(${[...forbidden, 'test'].join('|')})/|${ENTRY}` },
});

module.exports = {
  forbidden: [
    layer(
      'base-is-the-ground-floor',
      'base',
      ['flinks', 'store', 'engine', 'http', 'cli'],
      'base/ is the ground floor: it imports nothing of the proxy outside base/.',
    ),
    layer(
      'flinks-imports-only-base',
      'flinks',
      ['store', 'engine', 'http', 'cli'],
      'flinks/ (the Flinks client) knows base/ only; in particular not the store.',
    ),
    layer(
      'store-imports-only-base',
      'store',
      ['flinks', 'engine', 'http', 'cli'],
      'store/ knows base/ only: not the Flinks client (store and flinks know nothing of each other), not the engine above it.',
    ),
    layer(
      'engine-imports-no-http-or-cli',
      'engine',
      ['http', 'cli'],
      'engine/ sits under http/: it never imports the HTTP layer or the CLI.',
    ),
    layer(
      'http-imports-no-cli',
      'http',
      ['cli'],
      'http/ sits under cli/: it never imports the CLI.',
    ),
    layer(
      'cli-imports-no-entry-point',
      'cli',
      [],
      'cli/ imports the layers, never an entry point.',
    ),
    {
      name: 'no-circular',
      comment: 'Files that import each other in a loop have no floor to stand on.',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
