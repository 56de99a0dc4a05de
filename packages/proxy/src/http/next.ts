import type { FlinkitApp } from './app';

/** A Next.js App Router route handler: the `Request` in, the proxy's `Response` out. */
export type NextRouteHandler = (request: Request) => Promise<Response>;

/** The exports of a catch-all route file; destructure the methods you mount. */
export interface NextRouteHandlers {
  GET: NextRouteHandler;
  HEAD: NextRouteHandler;
  POST: NextRouteHandler;
  PUT: NextRouteHandler;
  PATCH: NextRouteHandler;
  DELETE: NextRouteHandler;
  OPTIONS: NextRouteHandler;
}

/** Options of {@link toNextHandlers}. */
export interface NextHandlersOptions {
  /**
   * Names the app in the process: two calls with the same key share one app (and one engine).
   * Give a second key only to run a second, separate proxy in the same Next.js server.
   * Default `default`.
   */
  key?: string;
}

type AppSlots = Record<symbol, FlinkitApp | undefined>;

/**
 * Route handlers that mount the proxy in a Next.js App Router catch-all route. `create` runs on
 * the first request, not at import: `next build` imports route files, where neither the
 * runtime environment nor a database should be touched. The app is kept on `globalThis`, so the
 * route modules Next.js bundles separately and the modules it reloads in development share one
 * app and one retrieval engine per process.
 *
 * Mount it with `basePath` set to the route's folder, in the Node.js runtime (the SQLite and
 * PostgreSQL engines are Node-only).
 *
 * @example
 * // app/api/flinkit/[...path]/route.ts
 * import { createFlinkitApp, toNextHandlers } from '@flinkit/proxy';
 *
 * export const runtime = 'nodejs';
 * export const { GET, POST, DELETE, OPTIONS } = toNextHandlers(() =>
 *   createFlinkitApp({ ...config, basePath: '/api/flinkit' }),
 * );
 */
export function toNextHandlers(
  create: () => FlinkitApp,
  options: NextHandlersOptions = {},
): NextRouteHandlers {
  const slot = Symbol.for(`@flinkit/proxy/next:${options.key ?? 'default'}`);
  const slots = globalThis as unknown as AppSlots;
  // Next.js passes a second argument (the route params); the proxy routes by URL alone.
  const handler: NextRouteHandler = async (request) => {
    const app = slots[slot] ?? create();
    slots[slot] = app;
    return app.fetch(request);
  };
  return {
    GET: handler,
    HEAD: handler,
    POST: handler,
    PUT: handler,
    PATCH: handler,
    DELETE: handler,
    OPTIONS: handler,
  };
}
