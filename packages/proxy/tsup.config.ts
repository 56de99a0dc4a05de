import { defineConfig } from 'tsup';

// Kysely ships ~280 ESM files: Node resolving and linking them one by one cost 200 ms and 18 MB
// at start-up; bundled, it loads in ~15 ms. It is internal to the store (no Kysely type or
// instance crosses the public API), so a host's own copy is never confused with ours.
export default defineConfig([
  // One build per entry point (`@flinkit/proxy`, `/node`, `/webhooks`). Hono stays external: a
  // host mounts `flinkit.app` into its own Hono app.
  {
    entry: ['src/index.ts', 'src/node.ts', 'src/webhooks.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: ['!cli/**'], // dist/cli/ is the second build's
    target: 'node20',
    noExternal: ['kysely'],
  },
  // The `flinkit` CLI runs in a process of its own, so nothing it loads is shared with a host:
  // its pure-JS dependencies are bundled and tree-shaken (`import * as z from 'zod'` lets the
  // bundler drop the parts of zod never called, e.g. its 40 locales). A few files for Node to
  // load instead of ~700 took `flinkit serve` from ~750 ms to ~350 ms. The native SQLite driver,
  // the PostgreSQL driver and undici (both loaded only when used) stay external.
  {
    entry: ['src/cli.ts'],
    outDir: 'dist/cli',
    format: ['esm'],
    sourcemap: true,
    clean: true,
    target: 'node20',
    noExternal: ['kysely', '@hono/node-server', 'hono', 'zod', 'pino', '@flinkit/core'],
    external: ['better-sqlite3', 'pg', 'undici'],
    // Bundled CommonJS (pino) calls require() for Node's built-ins.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  },
]);
