import { Hono } from 'hono';
import { type AppContext, allowOnly, enforceRateLimit } from '../app-context';
import { createConnectSession } from '../connect-session';
import { HttpError } from '../http-error';
import { readJsonBody } from '../request-body';
import { createSessionSchema } from '../schemas';

/**
 * `POST /v1/connect/sessions`: a fresh authorize token in a Connect URL built from server
 * configuration; the browser may only pick `language`, `tag` and allowed parameters.
 */
export function sessionRoutes(context: AppContext): Hono {
  const app = new Hono();

  app.post('/', async (c) => {
    const userId = await context.identify(c.req.raw);
    const input = await readJsonBody(c.req.raw, createSessionSchema, { optional: true });
    await enforceRateLimit(context.limiters.sessions, `sessions:${userId}`);
    const connect = context.config.connect ?? {};
    if (!connect.instance && !connect.url) {
      throw new HttpError(
        503,
        'not_configured',
        'The proxy has no Flinks Connect settings. Set FLINKS_INSTANCE (`connect.instance`) or FLINKS_CONNECT_URL (`connect.url`).',
        false,
      );
    }
    const session = await createConnectSession(
      context.mint,
      connect,
      input,
      context.now(),
      context.logger,
    );
    context.logger.info({ event: 'session_created', userId }, 'connect session created');
    return c.json(session);
  });
  allowOnly(app, '/', ['POST']);

  return app;
}
