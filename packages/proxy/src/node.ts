/**
 * `@flinkit/proxy/node`: the parts that need Node.js — the HTTP server, and the retrieval
 * engine on SQLite (better-sqlite3, the default) or PostgreSQL (`pg`, for several instances).
 *
 * @example
 * import { loadEnvConfig, startServer } from '@flinkit/proxy/node';
 * const server = await startServer(loadEnvConfig(process.env));
 */

export { loadEnvConfig } from './cli/env-config';
export { createEngine } from './engine/engine';
export { type RunningServer, type ServerConfig, startServer } from './http/server';
/**
 * Opens (and migrates) the store of a `databaseUrl`, to pass as `engineOptions.store` when
 * something besides the engine needs the same handle; the engine then leaves closing it to you.
 */
export { openStore } from './store/open-store';
