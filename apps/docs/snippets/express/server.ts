import { createRequire } from 'node:module';
import { createFlinkitApp } from '@flinkit/proxy';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import { saveAccounts } from './accounts'; // your own storage
import { flinkitConfig } from './flinkit-config';
import { session } from './session'; // your own session middleware: sets request.user

const require = createRequire(import.meta.url);

/** Your Express app, with the flinkit proxy under /flinkit. */
export async function createApp(): Promise<express.Express> {
  // The user of each proxied request, as your session middleware found it.
  const users = new WeakMap<Request, string>();
  const flinkit = createFlinkitApp({
    ...flinkitConfig(),
    authenticate: (request) => {
      const userId = users.get(request);
      return userId ? { userId } : null;
    },
    // Once per completed retrieval, through a durable outbox: throw to have it retried.
    onAccountsDetail: async (event) => {
      await saveAccounts(event); // idempotent on event.deliveryId
    },
  });
  await flinkit.ready; // fail at start on a bad database or key, not on the first request

  const app = express();
  app.use(session);
  // Before any body parser: the Flinks webhook route verifies the signature on the raw body.
  app.use(
    '/flinkit',
    getRequestListener((request, { incoming }) => {
      const userId = (incoming as express.Request).user?.id;
      if (userId) users.set(request, userId);
      return flinkit.fetch(request);
    }),
  );
  app.use(express.json());
  // The script-tag widget, served by the same app (after `npx pnpm@10 --filter @flinkit/widget build`).
  app.get('/assets/flinkit.js', (_request, response) => {
    response.sendFile(require.resolve('@flinkit/widget/flinkit.js'));
  });
  return app;
}
