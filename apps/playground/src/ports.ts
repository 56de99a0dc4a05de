import { createServer, type Server } from 'node:net';

/** Every server of the playground listens on the loopback interface only. */
export const HOST = '127.0.0.1';

function listenOnce(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';
}

/**
 * Listens on `port`, or on a free port when it is taken (or when `port` is 0).
 * Resolves with the port actually bound.
 */
export async function listenWithFallback(
  server: Server,
  port: number,
  host = HOST,
): Promise<number> {
  try {
    return await listenOnce(server, port, host);
  } catch (error) {
    if (port === 0 || !isAddressInUse(error)) throw error;
    return listenOnce(server, 0, host);
  }
}

/**
 * A port another process can listen on: `preferred` when free, else one the OS picks.
 * (Used for the proxy child, which binds the port itself a moment later.)
 */
export async function pickPort(preferred: number, host = HOST): Promise<number> {
  const probe = createServer();
  const port = await listenWithFallback(probe, preferred, host);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** True when the error means "this port is taken". */
export function isPortTaken(error: unknown): boolean {
  return isAddressInUse(error);
}
