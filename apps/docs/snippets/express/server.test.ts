import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectWholeFlow, startFlinks } from '../test-flow';

describe('the Express snippet (proxy under /flinkit, identity from the session middleware)', () => {
  let flinks: Awaited<ReturnType<typeof startFlinks>>;
  let server: Server | undefined;
  beforeAll(async () => {
    flinks = await startFlinks();
    Object.assign(process.env, flinks.env);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    await flinks?.close();
  });

  it('links, retrieves and isolates users over real HTTP', async () => {
    const { createApp } = await import('./server');
    const { openSession } = await import('./session');
    const { saved } = await import('./accounts');
    const app = await createApp();
    const listening = app.listen(0, '127.0.0.1');
    server = listening;
    await new Promise((resolve) => listening.once('listening', resolve));
    const { port } = listening.address() as AddressInfo;
    await expectWholeFlow({
      sim: flinks.sim,
      call: (path, init) => fetch(`http://127.0.0.1:${port}/flinkit${path}`, init),
      alice: openSession('carol'),
      bob: openSession('dave'),
      delivered: () => [...saved.values()].filter((event) => event.userId === 'carol').length,
    });
  });
});
