import { Hono } from 'hono';
import { type AppContext, allowOnly, enforceRateLimit } from '../app-context';
import { createConnectSession, DONE_PATH } from '../connect-session';
import { HttpError } from '../http-error';
import { readJsonBody } from '../request-body';
import { createSessionSchema } from '../schemas';

/**
 * `/v1/connect`: `POST /sessions`, a fresh authorize token in a Connect URL built from server
 * configuration (the browser may only pick `language`, `tag` and allowed parameters); and
 * `GET /done`, the page that stands for Connect's `redirectUrl` when the server sets none.
 */
export function sessionRoutes(context: AppContext): Hono {
  const app = new Hono();

  app.post('/sessions', async (c) => {
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
    // The done page at the address this request came to (whatever the app's base path).
    const url = new URL(c.req.url);
    const done = `${url.origin}${url.pathname.replace(/\/v1\/connect\/sessions\/?$/, DONE_PATH)}`;
    const session = await createConnectSession(context.mint, connect, input, {
      now: context.now(),
      fallbackRedirectUrl: done,
    });
    context.logger.info({ event: 'session_created', userId }, 'connect session created');
    return c.json(session);
  });
  allowOnly(app, '/sessions', ['POST']);

  app.get('/done', (c) => {
    const french = c.req.query('language') === 'fr' || c.req.query('lang') === 'fr';
    // Static: Connect appends the loginId to this URL, so nothing of the query is echoed, the
    // page loads nothing (no Referer can carry it away) and it is never cached.
    return c.html(french ? DONE_FR : DONE_EN, 200, {
      'content-security-policy': "default-src 'none'; base-uri 'none'; form-action 'none'",
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  });
  allowOnly(app, '/done', ['GET']);

  return app;
}

const page = (lang: string, title: string, text: string) =>
  `<!doctype html><html lang="${lang}"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><h1>${title}</h1><p>${text}</p></html>`;
const DONE_EN = page('en', 'Bank linked', 'You can close this window and return to the app.');
const DONE_FR = page(
  'fr',
  'Banque liée',
  'Vous pouvez fermer cette fenêtre et revenir à l’application.',
);
