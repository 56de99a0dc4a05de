import type { Connection } from '@flinkit/core/wire';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClusterHost,
  countReady,
  doublePolls,
  link,
  startCluster,
  upstreamCalls,
} from './cluster';
import { bearer, type Instance, inBatches, waitUntil } from './instances';
import { startTestPostgres, type TestPostgres } from './postgres';

// Several proxy processes on one PostgreSQL database, against the simulator (issue 9).
const INTERVAL_MS = 300;
let server: TestPostgres;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(() => server?.stop(), 30_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const host: ClusterHost = {
  get server() {
    return server;
  },
  cleanups,
};
const options = { leaseMs: 5_000, pollIntervalMs: INTERVAL_MS };

describe('several proxy processes on one PostgreSQL database', () => {
  it('completes 300 retrievals spread over 3 instances, each exactly once, never double-polled', async () => {
    const cluster = await startCluster(host, [{ id: 'a' }, { id: 'b' }, { id: 'c' }], options);
    const users = Array.from({ length: 300 }, (_, i) => `user-${i}`);
    const linked = await inBatches(users, 12, (userId, i) =>
      link(cluster, cluster.instances[i % 3]!, userId),
    );
    await waitUntil('300 deliveries', () => cluster.receiver.counts.size === 300, 60_000);
    const polls = await Promise.all(cluster.instances.map((instance) => upstreamCalls(instance)));
    // A graceful stop finishes deliveries in flight; then nothing may arrive twice.
    await Promise.all(cluster.instances.map((instance) => instance.stop()));

    const retrievalIds = new Set(linked.map((connection) => connection.retrievalId));
    expect(retrievalIds.size).toBe(300);
    expect([...cluster.receiver.counts.keys()].every((id) => retrievalIds.has(id))).toBe(true);
    expect([...cluster.receiver.counts.values()].every((count) => count === 1)).toBe(true);
    expect(cluster.receiver.rejected).toBe(0);
    expect(await countReady(cluster.db)).toBe(300);
    const authorizes = cluster.sim.requests().filter((r) => r.endpoint === 'Authorize');
    expect(authorizes).toHaveLength(300);
    expect(doublePolls(cluster.sim, INTERVAL_MS)).toBe(0);
    // The work really was spread: every instance polled Flinks.
    for (const count of polls) expect(count).toBeGreaterThan(0);
  }, 80_000);
});

// An instance killed or stalled mid-step, and the others taking over: lease-takeover.test.ts.

/** Reads an SSE stream until it ends, returning the `status` events' connections. */
async function readStatusStream(response: Response): Promise<Connection[]> {
  const events: Connection[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      if (/^event: status$/m.test(block) && data) events.push(JSON.parse(data) as Connection);
      end = buffer.indexOf('\n\n');
    }
  }
  return events;
}

describe('SSE across instances', () => {
  it('streams on instance A every status change made by instance B, in order, to ready', async () => {
    // A never steps a retrieval (no worker slots): everything it streams comes from B.
    const cluster = await startCluster(
      host,
      [{ id: 'a', maxConcurrentSteps: 0 }, { id: 'b' }],
      options,
    );
    const [a, b] = cluster.instances as [Instance, Instance];
    const connection = await link(cluster, a, 'sse-user');
    // The ticket is issued by B and redeemed by A: tickets live in the database.
    const ticketResponse = await fetch(`${b.url}/v1/connections/${connection.id}/ticket`, {
      method: 'POST',
      headers: bearer('sse-user'),
    });
    expect(ticketResponse.status).toBe(200);
    const { ticket } = (await ticketResponse.json()) as { ticket: string };
    const stream = await fetch(
      `${a.url}/v1/connections/${connection.id}/events?ticket=${encodeURIComponent(ticket)}`,
    );
    expect(stream.status).toBe(200);
    const events = await readStatusStream(stream);

    const versions = events.map((event) => event.version);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(new Set(versions).size).toBe(versions.length);
    expect(events.at(-1)?.status).toBe('ready');
    const attempts = events.filter((e) => e.status === 'processing').map((e) => e.attempt);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    const final = await fetch(`${b.url}/v1/connections/${connection.id}`, {
      headers: bearer('sse-user'),
    });
    const truth = ((await final.json()) as { connection: Connection }).connection;
    expect(events.at(-1)?.version).toBe(truth.version);
    const reused = await fetch(
      `${b.url}/v1/connections/${connection.id}/events?ticket=${encodeURIComponent(ticket)}`,
    );
    expect(reused.status).toBe(401);
  }, 60_000);
});
