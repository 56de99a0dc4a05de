import { Agent, createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A test load balancer in front of the proxy instances. */
export interface Balancer {
  url: string;
  /** The instance URLs requests go to, round robin; replace it during a rolling restart. */
  upstreams: string[];
  /** Requests that reached no instance (every one refused or shutting down). */
  failed: number;
  close(): Promise<void>;
}

/**
 * A small HTTP reverse proxy, as nginx would be configured in front of several instances:
 * round robin, keep-alive to the instances, no response buffering (SSE streams through), and a
 * request that an instance refused at the socket or answered 503 `shutting_down` tried on the
 * next one (`proxy_next_upstream error http_503`). Bodies are buffered first so a retry can
 * resend them.
 */
export async function startBalancer(upstreams: string[]): Promise<Balancer> {
  const agent = new Agent({ keepAlive: true });
  let next = 0;
  const balancer: Balancer & { server?: Server } = {
    url: '',
    upstreams,
    failed: 0,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        balancer.server?.closeAllConnections();
        balancer.server?.close(() => resolve());
      }),
  };
  // Each request starts at the next instance and tries the others in turn.
  const forward = (incoming: IncomingMessage, body: Buffer, tries: number, start = next++) =>
    new Promise<IncomingMessage | null>((resolve) => {
      const target = balancer.upstreams[start % balancer.upstreams.length] as string;
      let answered = false;
      const outgoing = request(
        `${target}${incoming.url}`,
        {
          method: incoming.method,
          headers: { ...incoming.headers, connection: 'keep-alive' },
          agent,
        },
        (response) => {
          answered = true;
          if (response.statusCode === 503 && response.headers['retry-after'] && tries > 1) {
            response.resume();
            resolve(forward(incoming, body, tries - 1, start + 1));
          } else resolve(response);
        },
      );
      outgoing.on('error', () => {
        // An error after the answer began is the piped response's to handle.
        if (answered) return;
        resolve(tries > 1 ? forward(incoming, body, tries - 1, start + 1) : null);
      });
      outgoing.end(body);
    });
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const upstream = await forward(incoming, Buffer.concat(chunks), 6);
      if (!upstream) {
        balancer.failed += 1;
        response.writeHead(502).end();
        return;
      }
      const { connection: _connection, 'keep-alive': _keepAlive, ...headers } = upstream.headers;
      response.writeHead(upstream.statusCode ?? 502, headers);
      response.flushHeaders();
      upstream.pipe(response);
      upstream.on('error', () => response.destroy());
      response.on('close', () => upstream.destroy());
    });
  });
  balancer.server = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  balancer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return balancer;
}
