import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createFlinkitApp, type FlinkitApp } from './app';
import type { FlinkitConfig } from './config';

/** Options of {@link startServer}: the app's config plus where to listen. */
export interface ServerConfig extends FlinkitConfig {
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
  /** Stops accepting, ends SSE streams, stops the engine, closes every socket. */
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
  const flinkit = createFlinkitApp(config);
  try {
    await flinkit.ready;
  } catch (error) {
    await flinkit.close();
    throw error;
  }
  const server = createAdaptorServer({ fetch: flinkit.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 8787, config.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    flinkit,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await flinkit.close();
        server.closeIdleConnections();
        // SSE streams were ended above; give their last bytes a moment, then drop stuck clients.
        let grace: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          closed,
          new Promise((resolve) => {
            grace = setTimeout(resolve, 1000);
          }),
        ]);
        clearTimeout(grace);
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
