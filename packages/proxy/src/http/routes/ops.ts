import { Hono } from 'hono';
import { type AppContext, allowOnly } from '../app-context';
import { buildOpenApiDocument } from '../openapi';

/** `/healthz`, `/readyz`, `/metrics` and `/v1/openapi.json`. */
export function opsRoutes(context: AppContext): Hono {
  const app = new Hono();
  const openApi = buildOpenApiDocument();

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

  app.get('/v1/openapi.json', (c) => c.json(openApi));
  allowOnly(app, '/v1/openapi.json', ['GET']);

  return app;
}
