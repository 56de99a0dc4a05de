import type { Connection, ConnectionResponse } from '@flinkit/core/wire';
import { startSimulator } from '@flinkit/simulator';
import { startEmbeddedPostgres } from '@flinkit/test-postgres';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { bearer, type Instance, spawnInstance, startReceiver, waitUntil } from './instances';

// PostgreSQL stopped and started again under two proxy instances with retrievals in flight.

describe('PostgreSQL restarting mid-run', () => {
  it('readyz says 503 while it is gone and 200 after; pools reconnect, LISTEN resumes, every retrieval completes once', async () => {
    const postgres = await startEmbeddedPostgres();
    const sim = await startSimulator({ processingMs: 4_000 });
    const instances: Instance[] = [];
    const receiver = await startReceiver();
    try {
      await postgres.createDatabase('restart');
      const databaseUrl = postgres.url('restart');
      // Two instances in their own processes: `worker` steps the retrievals; `web` only serves
      // HTTP and SSE, fed by LISTEN. A crash of either shows as an exit.
      const settings = {
        databaseUrl,
        sim,
        forwardUrl: receiver.url,
        pollIntervalMs: 200,
        leaseMs: 3_000,
      };
      const worker = await spawnInstance({ ...settings, id: 'worker' });
      instances.push(worker);
      const web = await spawnInstance({ ...settings, id: 'web', maxConcurrentSteps: 0 });
      instances.push(web);
      const headers = (userId: string) => ({
        ...bearer(userId),
        'content-type': 'application/json',
      });
      const users = ['p1', 'p2', 'p3', 'p4'];
      const ids: string[] = [];
      for (const userId of users) {
        const response = await fetch(`${worker.url}/v1/connections`, {
          method: 'POST',
          headers: headers(userId),
          body: JSON.stringify({ loginId: sim.createLogin('greatday_nomfa') }),
        });
        ids.push(((await response.json()) as ConnectionResponse).connection.id);
      }
      // An SSE client on the instance that never steps: it hears of changes through LISTEN.
      const statuses: Connection[] = [];
      const stream = await fetch(`${web.url}/v1/connections/${ids[0]}/events`, {
        headers: headers('p1'),
      });
      const reading = (async () => {
        const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += new TextDecoder().decode(value);
          for (const match of buffer.matchAll(/^data: (.+)$/gm)) {
            statuses.push(JSON.parse(match[1] as string) as Connection);
          }
          buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
        }
      })();
      const readyz = async (server: Instance) =>
        (await fetch(`${server.url}/readyz`).catch(() => null))?.status ?? 0;

      await waitUntil('authorized', () => statuses.some((c) => c.status === 'processing'), 15_000);
      await postgres.pause();
      await waitUntil('readyz 503', async () => (await readyz(worker)) === 503, 10_000);
      expect(await readyz(web)).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await postgres.resume();
      await waitUntil('readyz 200', async () => (await readyz(worker)) === 200, 15_000);
      await waitUntil('readyz 200 on web', async () => (await readyz(web)) === 200, 15_000);

      const status = async (userId: string, id: string) =>
        (
          (await (
            await fetch(`${web.url}/v1/connections/${id}`, { headers: headers(userId) })
          ).json()) as ConnectionResponse
        ).connection.status;
      await waitUntil(
        'every retrieval ready',
        async () =>
          (await Promise.all(users.map((u, i) => status(u, ids[i] as string)))).every(
            (s) => s === 'ready',
          ),
        45_000,
      );
      await waitUntil(
        'the SSE client sees ready',
        () => statuses.at(-1)?.status === 'ready',
        15_000,
      );
      await waitUntil('every delivery', () => receiver.counts.size === users.length, 15_000);
      expect([...receiver.counts.values()]).toEqual(users.map(() => 1));
      expect([worker.process.exitCode, web.process.exitCode]).toEqual([null, null]);
      // Both instances listen again on a fresh connection.
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const listening = await client.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'LISTEN flinkit_status'",
      );
      await client.end();
      expect(listening.rows[0]?.n).toBe(2);
      await reading;
    } finally {
      for (const instance of instances) await instance.stop();
      await receiver.close();
      await sim.close();
      await postgres.stop();
    }
  }, 120_000);
});
