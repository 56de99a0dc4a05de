import { isTerminalStatus } from '@flinkit/core/wire';
import { Hono } from 'hono';
import { type AppContext, allowOnly } from '../app-context';
import { unauthorized } from '../auth';
import { connectionNotFound } from '../http-error';
import { createStatusStream, DEFAULT_HEARTBEAT_MS, parseLastEventId, SSE_HEADERS } from '../sse';
import { connectionIdParam } from './connections';

/**
 * `GET /v1/connections/:id/events`: the SSE status stream. Authenticated by a one-time
 * `?ticket=` (EventSource sends no headers) or the normal auth; resumes after
 * `Last-Event-ID` (header or `?lastEventId=`). A client that already has the terminal status
 * gets 204, which tells EventSource to stop reconnecting.
 */
export function eventRoutes(context: AppContext): Hono {
  const app = new Hono();

  app.get('/:id/events', async (c) => {
    const id = connectionIdParam(c.req.param('id'));
    const ticket = c.req.query('ticket');
    let userId: string;
    if (ticket !== undefined) {
      const redeemed = await context.tickets.redeem(ticket, id);
      if (redeemed === null) {
        throw unauthorized(
          'The SSE ticket is invalid, expired or already used. Get a new one from POST /v1/connections/:id/ticket.',
        );
      }
      userId = redeemed;
    } else {
      userId = await context.identify(c.req.raw);
    }
    const engine = await context.engine;
    const current = await engine.getConnection(userId, id);
    if (!current) throw connectionNotFound();
    const lastEventId = parseLastEventId(
      c.req.header('last-event-id') ?? c.req.query('lastEventId'),
    );
    if (
      lastEventId !== null &&
      lastEventId >= current.version &&
      isTerminalStatus(current.status)
    ) {
      return c.body(null, 204);
    }
    const stream = createStatusStream({
      engine,
      userId,
      connectionId: id,
      lastEventId,
      heartbeatMs: context.config.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      onOpen: context.metrics.sseOpened,
      onClose: context.metrics.sseClosed,
      track: context.trackStream,
    });
    return new Response(stream, { status: 200, headers: SSE_HEADERS });
  });
  allowOnly(app, '/:id/events', ['GET']);

  return app;
}
