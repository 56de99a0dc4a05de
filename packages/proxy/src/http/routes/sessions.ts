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
    if (!context.mint) {
      throw new HttpError(
        503,
        'not_configured',
        'The proxy has no Flinks credentials to mint an authorize token. Set FLINKS_SECRET_KEY.',
        false,
      );
    }
    const session = await createConnectSession(
      context.mint,
      context.config.connect ?? {},
      input,
      context.now(),
    );
    context.logger.info({ event: 'session_created', userId }, 'connect session created');
    return c.json(session);
  });
  allowOnly(app, '/', ['POST']);

  return app;
}
