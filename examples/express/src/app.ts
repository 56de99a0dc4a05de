import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createFlinkitApp, type FlinkitApp, type FlinkitConfig } from '@flinkit/proxy';
import { getRequestListener } from '@hono/node-server';
import express, { type Express } from 'express';
import session from 'express-session';
import { renderPage } from './page';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
  }
}

/** `flinkit.js` of the installed `@flinkit/widget`: the widget for a `<script>` tag. */
const WIDGET_FILE = createRequire(import.meta.url).resolve('@flinkit/widget/flinkit.js');

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The proxy's configuration, without `authenticate` (the app's session provides it). */
  flinkit: Omit<FlinkitConfig, 'authenticate'>;
  /** Signs the session cookie. */
  sessionSecret: string;
}

/**
 * An existing Express app (sessions, sign-in, a page) with the flinkit proxy mounted under
 * `/flinkit` and the script-tag widget served at `/flinkit.js`.
 */
export function createApp(options: AppOptions): { app: Express; flinkit: FlinkitApp } {
  const app = express();
  app.use(
    session({
      secret: options.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );

  // The proxy sees fetch `Request`s, not Express's `req`: the listener below hands each one
  // the user that the session middleware found, and `authenticate` reads it back.
  const users = new WeakMap<Request, string>();
  const flinkit = createFlinkitApp({
    ...options.flinkit,
    authenticate: (request) => {
      const userId = users.get(request);
      return userId ? { userId } : null;
    },
  });
  // Before any body parser: the webhook route verifies the signature of the raw body.
  app.use(
    '/flinkit',
    getRequestListener((request, { incoming }) => {
      const userId = (incoming as express.Request).session?.userId;
      if (userId) users.set(request, userId);
      return flinkit.fetch(request);
    }),
  );

  app.use(express.urlencoded({ extended: false, limit: '1kb' }));
  app.get('/favicon.ico', (_request, response) => {
    response.status(204).end();
  });
  app.get('/flinkit.js', (_request, response) => {
    response.sendFile(WIDGET_FILE, { maxAge: '1h' });
  });
  app.get('/', (request, response) => {
    const nonce = randomBytes(16).toString('base64');
    response.set(
      'content-security-policy',
      [
        "default-src 'self'",
        "script-src 'self'",
        `style-src 'nonce-${nonce}'`,
        `frame-src ${connectOrigin(options.flinkit)}`,
        "base-uri 'none'",
        "form-action 'self'",
      ].join('; '),
    );
    response.type('html').send(renderPage({ userId: request.session.userId ?? null, nonce }));
  });
  app.post('/sign-in', (request, response, next) => {
    const name = String(request.body?.name ?? '').trim();
    if (!/^[\w.-]{1,64}$/.test(name)) {
      response.status(400).type('text').send('Use letters, digits, dots or dashes.');
      return;
    }
    // A new session id at sign-in, so a session fixed before it is worth nothing.
    request.session.regenerate((error) => {
      if (error) return next(error);
      request.session.userId = name;
      response.redirect(303, '/');
    });
  });
  app.post('/sign-out', (request, response, next) => {
    request.session.destroy((error) => {
      if (error) return next(error);
      response.redirect(303, '/');
    });
  });
  return { app, flinkit };
}

/** The origin the page may frame: Flinks Connect, from the same settings the proxy uses. */
function connectOrigin(config: Omit<FlinkitConfig, 'authenticate'>): string {
  if (config.connect?.url) return new URL(config.connect.url).origin;
  return `https://${config.connect?.instance ?? 'toolbox'}-iframe.private.fin.ag`;
}
