import { isTerminalStatus } from '@flinkit/core/wire';
import { Hono } from 'hono';
import { type AppContext, allowOnly } from '../app-context';
import { unauthorized } from '../auth';
import { connectionNotFound } from '../http-error';
import {
  createStatusStream,
  DEFAULT_HEARTBEAT_MS,
  parseLastEventId,
  SSE_HEADERS,
  type StatusStreamOptions,
} from '../sse';
import { nodeFeedResponse, nodeFeedTarget } from '../sse-node';
import { connectionIdParam } from './connections';

/**
 * `GET /v1/connections/:id/events`: the SSE status stream. Authenticated by a one-time
 * `?ticket=` (EventSource sends no headers) or the normal auth; resumes after
 * `Last-Event-ID` (header or `?lastEventId=`). A used ticket reopens its own stream when the
 * request carries a `Last-Event-ID` header (a native EventSource reconnecting) within the
 * resume window. A client that already has the terminal status gets 204, which tells
 * EventSource to stop reconnecting. Open streams are limited per user and per process (429).
 */
export function eventRoutes(context: AppContext): Hono {
  const app = new Hono();

  app.get('/:id/events', async (c) => {
    const id = connectionIdParam(c.req.param('id'));
    const ticket = c.req.query('ticket');
    const lastEventHeader = c.req.header('last-event-id');
    let userId: string;
    if (ticket !== undefined) {
      const redeemed =
        (await context.tickets.redeem(ticket, id)) ??
        (lastEventHeader === undefined
          ? null
          : ((await context.tickets.resume?.(ticket, id)) ?? null));
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
    const lastEventId = parseLastEventId(lastEventHeader ?? c.req.query('lastEventId'));
    if (
      lastEventId !== null &&
      lastEventId >= current.version &&
      isTerminalStatus(current.status)
    ) {
      return c.body(null, 204);
    }
    const release = context.streamSlots.acquire(userId);
    const feed: StatusStreamOptions = {
      engine,
      userId,
      connectionId: id,
      lastEventId,
      heartbeatMs: context.config.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      heartbeats: context.heartbeats,
      ...(context.config.sseBufferBytes ? { maxBufferedBytes: context.config.sseBufferBytes } : {}),
      onOpen: context.metrics.sseOpened,
      onOverflow() {
        context.logger.warn(
          { event: 'sse_client_dropped', connectionId: id },
          'SSE client stopped reading; stream dropped at its buffer limit',
        );
      },
      onClose() {
        release();
        context.metrics.sseClosed();
        if (ticket !== undefined) {
          context.tickets.release?.(ticket, id).catch((error: unknown) => {
            context.logger.warn(
              { event: 'ticket_release_failed', error: context.describe(error) },
              'SSE ticket could not be kept for a reconnect',
            );
          });
        }
      },
      track: context.trackStream,
    };
    // Served by startServer (Node): the feed is written straight to the Node response.
    if (nodeFeedTarget(c.env)) {
      return nodeFeedResponse(feed, SSE_HEADERS);
    }
    return new Response(createStatusStream(feed), { status: 200, headers: SSE_HEADERS });
  });
  allowOnly(app, '/:id/events', ['GET']);

  return app;
}
