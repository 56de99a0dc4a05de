import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, Server as NetServer, type Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createFlinkitApp, type FlinkitApp } from './app';
import type { FlinkitConfig } from './config';
import {
  answerWhileDraining,
  nodeServerOptions,
  resolveTimeouts,
  type ServerTimeouts,
} from './server-limits';
import { acceptNodeFeed, sendNodeFeed } from './sse-node';
import { type FastAnswer, fastReadOf } from './status-fast-path';

/** Options of {@link startServer}: the app's config, where to listen and the timeouts. */
export interface ServerConfig extends FlinkitConfig, ServerTimeouts {
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`; `0.0.0.0` to listen on every interface (containers). */
  host?: string;
}

/** A running proxy. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  flinkit: FlinkitApp;
  /**
   * Graceful stop, bounded by `shutdownTimeoutMs`: stops accepting connections, answers the
   * requests in flight (with `Connection: close`), answers new ones on open connections with
   * 503 `shutting_down`, tells SSE clients to reconnect, stops the engine, closes every socket.
   */
  close(): Promise<void>;
}

/**
 * Serves `createFlinkitApp(config)` on Node's HTTP server. Waits for the engine before
 * listening, so a bad database or key fails here rather than on the first request.
 *
 * @example
 * const server = await startServer({ ...config, port: 0 });
 * console.log(server.url);
 * await server.close();
 */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const timeouts = resolveTimeouts(config);
  const flinkit = createFlinkitApp(config);
  try {
    await flinkit.ready;
  } catch (error) {
    await flinkit.close();
    throw error;
  }
  // The Node response goes to the app as `env.outgoing`: the SSE route writes its feed to it.
  // This server is node:http (never http2): `env.outgoing` is a ServerResponse.
  const listener = getRequestListener(async (request, env) => {
    const outgoing = env.outgoing as ServerResponse;
    acceptNodeFeed(outgoing);
    return sendNodeFeed(await flinkit.app.fetch(request, env), outgoing);
  });
  const fastRead = fastReadOf(flinkit);
  // The status route's answer, written the way the Node adapter writes the app's JSON responses.
  const writeFast = (
    incoming: IncomingMessage,
    outgoing: ServerResponse,
    answer: FastAnswer | null,
  ) => {
    if (answer === null) return listener(incoming, outgoing);
    outgoing.writeHead(answer.status, {
      ...answer.headers,
      'Content-Length': Buffer.byteLength(answer.body),
    });
    outgoing.end(answer.body);
  };
  let draining = false;
  let active = 0;
  let onIdle: (() => void) | undefined;
  // Requests in flight on each open socket, and when it last finished one.
  const sockets = new Map<Socket, { busy: number; since: number }>();
  const track = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const state = sockets.get(incoming.socket);
    if (state) state.busy += 1;
    outgoing.once('close', () => {
      if (state) {
        state.busy -= 1;
        state.since = Date.now();
      }
    });
  };

  const handle = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    track(incoming, outgoing);
    if (draining) {
      answerWhileDraining(incoming, outgoing);
      return;
    }
    active += 1;
    outgoing.once('close', () => {
      active -= 1;
      if (active === 0) onIdle?.();
    });
    const bodyExpected =
      incoming.headers['transfer-encoding'] !== undefined ||
      (incoming.headers['content-length'] ?? '0') !== '0';
    const writeHead = outgoing.writeHead;
    // An answer sent before the body was read (413, 415, 401…) would leave the rest of the body
    // on a keep-alive socket, and one sent while draining must end the connection: both carry
    // `Connection: close`, so the client's next request goes to a fresh connection.
    outgoing.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (draining || (bodyExpected && !incoming.complete)) this.setHeader('connection', 'close');
      return (writeHead as (...rest: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
    const { authorization, origin } = incoming.headers;
    const fast = fastRead?.(incoming.method, incoming.url, authorization, origin);
    if (fast) {
      fast.then(
        (answer) => writeFast(incoming, outgoing, answer),
        () => listener(incoming, outgoing),
      );
    } else {
      void listener(incoming, outgoing);
    }
  };

  const server: Server = createServer(nodeServerOptions(timeouts), handle);
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { busy: 0, since: Date.now() });
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 8787, config.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const until = (deadline: number, work: Promise<unknown>) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([
      work.then(
        () => undefined,
        () => undefined,
      ),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      }),
    ]).finally(() => clearTimeout(timer));
  };

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    flinkit,
    close() {
      closing ??= (async () => {
        const deadline = Date.now() + timeouts.shutdownTimeoutMs;
        draining = true;
        // Stop accepting, but leave idle keep-alive connections open for a moment (Node's own
        // close() would drop them at once): a client reusing one then gets a 503 with
        // `Connection: close` instead of a reset.
        NetServer.prototype.close.call(server);
        flinkit.endStreams();
        const grace = new Promise((resolve) => setTimeout(resolve, 250));
        const idle =
          active === 0 ? Promise.resolve() : new Promise<void>((resolve) => (onIdle = resolve));
        await until(deadline, Promise.all([idle, grace]));
        await until(deadline, flinkit.close());
        // Every answer now ends its connection. A keep-alive connection a busy client still
        // uses gets its 503 within moments; closing one that was just answered could cut the
        // request the client is sending on it, so only connections idle for a second are closed.
        const gone = new Promise<void>((resolve) => {
          const check = () => {
            for (const [socket, state] of sockets) {
              if (state.busy === 0 && Date.now() - state.since >= 1_000) socket.destroy();
            }
            if (sockets.size === 0) resolve();
            else setTimeout(check, 50).unref();
          };
          check();
        });
        await until(deadline, gone);
        for (const socket of sockets.keys()) socket.destroy();
        server.close(); // clears Node's connection-checking timer; nothing is left to close
      })();
      return closing;
    },
  };
}
