import { Hono } from 'hono';
import { type AppContext, allowOnly } from '../app-context';
import { handleFlinksWebhook } from '../webhook-intake';

/** `POST /v1/webhooks/flinks`: signature-checked intake that answers before processing. */
export function webhookRoutes(context: AppContext): Hono {
  const app = new Hono();

  app.post('/flinks', async (c) => {
    await handleFlinksWebhook(c.req.raw, {
      engine: context.engine,
      secret: context.config.webhookSecret,
      acceptUnsigned: context.config.acceptUnsignedWebhooks ?? false,
      logger: context.logger,
      describe: context.describe,
      track: context.track,
    });
    return c.json({ received: true });
  });
  allowOnly(app, '/flinks', ['POST']);

  return app;
}
