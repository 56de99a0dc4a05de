import type {
  AccountsResponse,
  ConnectionListResponse,
  ConnectionResponse,
  TicketResponse,
} from '@flinkit/core/wire';
import { Hono } from 'hono';
import { summarizeAccounts } from '../accounts-summary';
import { type AppContext, allowOnly, enforceRateLimit } from '../app-context';
import { connectionNotFound, HttpError } from '../http-error';
import { readJsonBody } from '../request-body';
import { connectionIdSchema, createConnectionSchema } from '../schemas';

/** Reads and checks the `:id` path parameter; an impossible id is simply not found. */
export function connectionIdParam(value: string | undefined): string {
  const parsed = connectionIdSchema.safeParse(value);
  if (!parsed.success) throw connectionNotFound();
  return parsed.data;
}

/**
 * `/v1/connections` routes: list, create (202, idempotent per user + loginId), read, refresh
 * (202), delete (204), SSE ticket, accounts. Another user's connection is a 404.
 */
export function connectionRoutes(context: AppContext): Hono {
  const app = new Hono();
  const { config } = context;

  app.get('/', async (c) => {
    const userId = await context.identify(c.req.raw);
    const engine = await context.engine;
    const body: ConnectionListResponse = { connections: await engine.listConnections(userId) };
    return c.json(body);
  });

  app.post('/', async (c) => {
    const userId = await context.identify(c.req.raw);
    const input = await readJsonBody(c.req.raw, createConnectionSchema);
    await enforceRateLimit(context.limiters.connections, `connections:${userId}`);
    const engine = await context.engine;
    const { connection, created } = await engine.createConnection({ userId, ...input });
    context.logger.info(
      { event: 'connection_linked', connectionId: connection.id, created },
      created ? 'connection created' : 'connection reused',
    );
    const body: ConnectionResponse = { connection };
    return c.json(body, 202);
  });
  allowOnly(app, '/', ['GET', 'POST']);

  app.get('/:id', async (c) => {
    const userId = await context.identify(c.req.raw);
    const engine = await context.engine;
    const connection = await engine.getConnection(userId, connectionIdParam(c.req.param('id')));
    if (!connection) throw connectionNotFound();
    const body: ConnectionResponse = { connection };
    return context.json(c, body);
  });

  app.delete('/:id', async (c) => {
    const userId = await context.identify(c.req.raw);
    const engine = await context.engine;
    const deleted = await engine.deleteConnection(userId, connectionIdParam(c.req.param('id')), {
      deleteUpstream: config.deleteUpstream ?? false,
    });
    if (!deleted) throw connectionNotFound();
    return c.body(null, 204);
  });
  allowOnly(app, '/:id', ['GET', 'DELETE']);

  app.post('/:id/refresh', async (c) => {
    const userId = await context.identify(c.req.raw);
    const id = connectionIdParam(c.req.param('id'));
    await enforceRateLimit(context.limiters.connections, `connections:${userId}`);
    const engine = await context.engine;
    const connection = await engine.refresh(userId, id);
    if (!connection) throw connectionNotFound();
    const body: ConnectionResponse = { connection };
    return c.json(body, 202);
  });
  allowOnly(app, '/:id/refresh', ['POST']);

  app.post('/:id/ticket', async (c) => {
    const userId = await context.identify(c.req.raw);
    const id = connectionIdParam(c.req.param('id'));
    const engine = await context.engine;
    if (!(await engine.getConnection(userId, id))) throw connectionNotFound();
    const body: TicketResponse = await context.tickets.issue(userId, id);
    return c.json(body);
  });
  allowOnly(app, '/:id/ticket', ['POST']);

  app.get('/:id/accounts', async (c) => {
    const userId = await context.identify(c.req.raw);
    const id = connectionIdParam(c.req.param('id'));
    const view = accountsView(c.req.query('view'), config.accountsView);
    const engine = await context.engine;
    const connection = await engine.getConnection(userId, id);
    if (!connection) throw connectionNotFound();
    if (connection.status !== 'ready') {
      throw new HttpError(
        409,
        'not_ready',
        `The accounts are not ready (status: ${connection.status}). Wait for \`ready\` on the events stream.`,
        true,
      );
    }
    const stored = await engine.getPayload(userId, id);
    if (!stored) {
      throw new HttpError(
        410,
        'data_expired',
        'The accounts data is no longer kept. Refresh the connection to retrieve it again.',
        true,
      );
    }
    const common = {
      connectionId: id,
      institution:
        connection.institution ??
        (typeof stored.payload.Institution === 'string' ? stored.payload.Institution : null),
      retrievedAt: stored.retrievedAt,
    };
    const body: AccountsResponse =
      view === 'full'
        ? { view: 'full', ...common, payload: stored.payload }
        : { view: 'summary', ...common, accounts: summarizeAccounts(stored.payload) };
    c.header('cache-control', 'no-store');
    return c.json(body);
  });
  allowOnly(app, '/:id/accounts', ['GET']);

  return app;
}

/**
 * The view a caller asked for (`?view=summary|full`), or the server's default. The full payload
 * (account numbers, holder identity, transactions) only leaves when the server allows it.
 */
function accountsView(
  requested: string | undefined,
  allowed: 'summary' | 'full' | undefined,
): 'summary' | 'full' {
  if (requested === undefined) return allowed ?? 'summary';
  if (requested !== 'summary' && requested !== 'full') {
    throw new HttpError(400, 'invalid_request', 'view must be `summary` or `full`.', false);
  }
  if (requested === 'full' && allowed !== 'full') {
    throw new HttpError(
      403,
      'view_not_allowed',
      'This server only gives the summary view. Set FLINKIT_ACCOUNTS_VIEW=full to allow the full payload.',
      false,
    );
  }
  return requested;
}
