// `node --import ./scripts/without-native.mjs …` runs a program where the Node-only parts of the
// proxy's dependencies cannot be loaded: the native SQLite driver, the PostgreSQL driver and the
// Node HTTP adapter. `@flinkit/proxy` (fetch-native) must import and serve without them.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    const BLOCKED = new Set(['better-sqlite3', 'pg', '@hono/node-server']);
    export async function resolve(specifier, context, next) {
      if (BLOCKED.has(specifier)) {
        const error = new Error('without-native: ' + specifier + ' is not installed here');
        error.code = 'ERR_MODULE_NOT_FOUND';
        throw error;
      }
      return next(specifier, context);
    }
  `)}`,
);
