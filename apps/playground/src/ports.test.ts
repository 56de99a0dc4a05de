import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST, listenWithFallback, pickPort } from './ports';

describe('listenWithFallback', () => {
  const servers: Server[] = [];

  afterEach(async () => {
    await Promise.all(
      servers
        .splice(0)
        .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  });

  function track(server: Server): Server {
    servers.push(server);
    return server;
  }

  it('takes a free port when the wanted one is taken', async () => {
    const taken = await listenWithFallback(track(createServer()), 0);
    const port = await listenWithFallback(track(createServer()), taken);
    expect(port).not.toBe(taken);
    expect(port).toBeGreaterThan(0);
  });

  it('takes the wanted port when it is free', async () => {
    const free = await pickPort(0);
    expect(await listenWithFallback(track(createServer()), free)).toBe(free);
  });

  it('pickPort skips a taken port', async () => {
    const taken = await listenWithFallback(track(createServer()), 0, HOST);
    expect(await pickPort(taken)).not.toBe(taken);
  });
});
