import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccountsResponse, Connection } from '@flinkit/core';
import type { Simulator } from '@flinkit/simulator';
import { connection as makeConnection, summary } from './test-fake-connect';

/** Routes whose answer a test can hold back, to keep the widget in the state before it. */
export type HeldRoute = 'sessions' | 'connections';

/**
 * The proxy's HTTP API (apps/docs/architecture.md#proxy-http-api) as a script, served under
 * `/proxy` by the test site: the test decides what the connection says (and pushes it to open event
 * streams), and holds or releases answers, so the widget can be put in every state on demand.
 * Connect sessions are real ones of the simulator (with its close button on).
 */
export function createScriptedProxy(simulator: Simulator) {
  let current: Connection = makeConnection({ status: 'pending', attempt: 0 });
  const held = new Map<HeldRoute, (() => void)[] | null>();
  const streams = new Set<ServerResponse>();

  const json = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const push = (response: ServerResponse) =>
    response.write(`id: ${current.version}\nevent: status\ndata: ${JSON.stringify(current)}\n\n`);
  const later = (route: HeldRoute, answer: () => void) => {
    const queue = held.get(route);
    if (queue) queue.push(answer);
    else answer();
  };

  const session = async (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const language = (JSON.parse(body || '{}') as { language?: string }).language ?? 'en';
    const url = new URL(simulator.connectUrl);
    const origin = `http://${request.headers.host ?? 'localhost'}/proxy`;
    // The parameters the real proxy always sets (its own done page when none is configured).
    url.search = new URLSearchParams({
      authorizeToken: simulator.createAuthorizeToken(),
      demo: 'true',
      closeEnable: 'true',
      redirectUrl: `${origin}/v1/connect/done`,
      innerRedirect: 'true',
      jsRedirect: 'true',
      language,
    }).toString();
    later('sessions', () =>
      json(response, 200, {
        url: url.href,
        expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
      }),
    );
  };

  const set = (patch: Partial<Connection>) => {
    current = { ...current, ...patch, version: current.version + 1 };
    for (const stream of streams) push(stream);
  };
  const accounts: AccountsResponse = summary;

  return {
    /** The test site's `routes`. */
    routes(request: IncomingMessage, response: ServerResponse, path: string): boolean {
      const route = `${request.method} ${path.replace(/^\/proxy/, '')}`;
      if (!path.startsWith('/proxy/')) return false;
      if (route === 'POST /v1/connect/sessions') void session(request, response);
      else if (route === 'POST /v1/connections') {
        later('connections', () => json(response, 202, { connection: current }));
      } else if (route === 'POST /v1/connections/conn_1/refresh') {
        set({ status: 'processing', attempt: 1, error: null });
        json(response, 202, { connection: current });
      } else if (route === 'GET /v1/connections/conn_1')
        json(response, 200, { connection: current });
      else if (route === 'GET /v1/connections/conn_1/accounts') json(response, 200, accounts);
      else if (route === 'GET /v1/connections/conn_1/events') {
        response.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
        });
        push(response);
        streams.add(response);
        response.on('close', () => streams.delete(response));
      } else
        json(response, 404, { error: { code: 'not_found', message: route, recoverable: false } });
      return true;
    },
    /** Holds the answers of `route` from now on. */
    hold(route: HeldRoute) {
      held.set(route, held.get(route) ?? []);
    },
    /** Answers what `route` held, and what it gets from now on. */
    release(route: HeldRoute) {
      const queue = held.get(route) ?? [];
      held.set(route, null);
      for (const answer of queue) answer();
    },
    /** A newer connection: what the routes answer, pushed to every open event stream. */
    set,
    close() {
      for (const stream of streams) stream.end();
    },
  };
}

export type ScriptedProxy = ReturnType<typeof createScriptedProxy>;
