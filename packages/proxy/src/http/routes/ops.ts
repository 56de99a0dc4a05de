import { Hono } from 'hono';
import { type AppContext, allowOnly } from '../app-context';

/** `/healthz`, `/readyz`, `/metrics` and `/v1/openapi.json`. */
export function opsRoutes(context: AppContext): Hono {
  const app = new Hono();
  // Built on its first request: an idle server does not hold the document, its JSON Schema
  // generator or the response schemas it is generated from.
  let openApi: Record<string, unknown> | undefined;

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  allowOnly(app, '/healthz', ['GET']);

  app.get('/readyz', async (c) => {
    let ready = false;
    try {
      ready = await (await context.engine).isReady();
    } catch {
      ready = false;
    }
    return c.json({ status: ready ? 'ready' : 'not_ready' }, ready ? 200 : 503);
  });
  allowOnly(app, '/readyz', ['GET']);

  app.get('/metrics', async (c) => {
    let counts: Record<string, number> = {};
    try {
      counts = await (await context.engine).countByStatus();
    } catch {
      counts = {};
    }
    return c.text(context.metrics.render(counts), 200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    });
  });
  allowOnly(app, '/metrics', ['GET']);

  app.get('/v1/openapi.json', async (c) => {
    if (!openApi) {
      const { buildOpenApiDocument } = await import('../openapi');
      openApi = buildOpenApiDocument();
    }
    return c.json(openApi);
  });
  allowOnly(app, '/v1/openapi.json', ['GET']);

  return app;
}
