import type { Connection, ConnectionResponse } from '@flinkit/core/wire';
import { startSimulator } from '@flinkit/simulator';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Balancer, startBalancer } from './balancer';
import {
  bearer,
  type Instance,
  type Receiver,
  spawnInstance,
  startReceiver,
  waitUntil,
} from './instances';
import { startTestPostgres, type TestPostgres } from './postgres';

// Two instances on PostgreSQL behind a balancer, restarted one after the other under load,
// with a browser-like EventSource (a used ticket, Last-Event-ID) on every connection.

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
}, 30_000);

describe('a rolling restart on PostgreSQL', () => {
  it('loses and doubles no retrieval, and every SSE client resumes with Last-Event-ID and ends with the final status', async () => {
    const databaseUrl = await postgres.createDatabase();
    const sim = await startSimulator({ processingMs: 3_600_000 });
    const receiver: Receiver = await startReceiver();
    const instances: Instance[] = [];
    let balancer: Balancer | undefined;
    const sources: EventSource[] = [];
    try {
      const settings = {
        databaseUrl,
        sim,
        forwardUrl: receiver.url,
        pollIntervalMs: 300,
        leaseMs: 3_000,
      };
      const spawn = async (id: string) => {
        const instance = await spawnInstance({ ...settings, id });
        instances.push(instance);
        return instance;
      };
      const a = await spawn('a');
      const b = await spawn('b');
      balancer = await startBalancer([a.url, b.url]);
      const lb = balancer.url;

      const users = Array.from({ length: 10 }, (_, index) => `roll-${index}`);
      const clients = await Promise.all(
        users.map(async (userId) => {
          const headers = { ...bearer(userId), 'content-type': 'application/json' };
          const created = await fetch(`${lb}/v1/connections`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ loginId: sim.createLogin('greatday_nomfa') }),
          });
          const { id } = ((await created.json()) as ConnectionResponse).connection;
          const issued = await fetch(`${lb}/v1/connections/${id}/ticket`, {
            method: 'POST',
            headers,
          });
          const { ticket } = (await issued.json()) as { ticket: string };
          const client = {
            userId,
            id,
            versions: [] as Connection[],
            opens: 0,
            errors: [] as number[],
          };
          const source = new EventSource(`${lb}/v1/connections/${id}/events?ticket=${ticket}`);
          sources.push(source);
          source.addEventListener('open', () => {
            client.opens += 1;
          });
          source.addEventListener('status', (event) => {
            client.versions.push(JSON.parse(event.data) as Connection);
          });
          source.addEventListener('error', (event) => {
            const code = (event as { code?: number }).code;
            if (code !== undefined) client.errors.push(code);
          });
          return client;
        }),
      );
      await waitUntil('every stream open', () => clients.every((c) => c.opens === 1), 15_000);

      // A load generator through the balancer, all along.
      let loading = true;
      const outcomes: number[] = [];
      const lanes = clients.slice(0, 4).map(async ({ userId, id }) => {
        while (loading) {
          const response = await fetch(`${lb}/v1/connections/${id}`, { headers: bearer(userId) });
          await response.arrayBuffer();
          outcomes.push(response.status);
        }
      });

      for (const old of [a, b]) {
        await old.stop();
        const fresh = await spawn(`${old.id}2`);
        balancer.upstreams = balancer.upstreams.map((url) => (url === old.url ? fresh.url : url));
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      loading = false;
      await Promise.all(lanes);
      // Flinks was still processing through both restarts: every stream was cut at least once.
      expect(clients.filter((c) => c.versions.at(-1)?.status === 'ready')).toEqual([]);
      await waitUntil(
        'every retrieval authorized',
        () => clients.every((c) => c.versions.at(-1)?.status === 'processing'),
        30_000,
      );
      for (const entry of sim.requests()) {
        if (entry.endpoint !== 'Authorize' || entry.status !== 200) continue;
        try {
          sim.completeRequest(entry.requestId as string);
        } catch {
          // A RequestId given up by a re-authorize: nothing to finish.
        }
      }

      await waitUntil(
        'every client at ready',
        () => clients.every((c) => c.versions.at(-1)?.status === 'ready'),
        60_000,
      );
      await waitUntil('every delivery', () => receiver.counts.size === users.length, 15_000);
      expect(balancer.failed).toBe(0);
      expect(outcomes.filter((status) => status !== 200)).toEqual([]);
      expect([...receiver.counts.values()].every((count) => count >= 1)).toBe(true);
      for (const client of clients) {
        const final = (
          (await (
            await fetch(`${lb}/v1/connections/${client.id}`, { headers: bearer(client.userId) })
          ).json()) as ConnectionResponse
        ).connection;
        const versions = client.versions.map((c) => c.version);
        // Resumed with Last-Event-ID: never a version twice or backwards, and the latest at the end.
        expect(versions, client.userId).toEqual([...new Set(versions)].sort((x, y) => x - y));
        expect(versions.at(-1), client.userId).toBe(final.version);
        expect(client.opens, client.userId).toBeGreaterThanOrEqual(2);
        expect(client.errors, client.userId).toEqual([]);
      }
    } finally {
      for (const source of sources) source.close();
      for (const instance of instances) await instance.stop();
      await balancer?.close();
      await receiver.close();
      await sim.close();
    }
  }, 180_000);
});
