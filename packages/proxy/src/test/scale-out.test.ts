import type { Connection } from '@flinkit/core/wire';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type Instance,
  inBatches,
  type Receiver,
  spawnInstance,
  startReceiver,
  waitUntil,
} from './instances';
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

interface Cluster {
  sim: Simulator;
  receiver: Receiver;
  databaseUrl: string;
  instances: Instance[];
  db: pg.Client;
}

async function startCluster(
  specs: Array<{ id: string; maxConcurrentSteps?: number }>,
  leaseMs: number,
  processingMs = 1_000,
): Promise<Cluster> {
  const databaseUrl = await server.createDatabase();
  const sim = await startSimulator({ processingMs });
  cleanups.push(() => sim.close());
  const receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  // All start at once on an empty database: the migrations serialise on their lock.
  const settled = await Promise.allSettled(
    specs.map((spec) =>
      spawnInstance({
        ...spec,
        databaseUrl,
        sim,
        forwardUrl: receiver.url,
        pollIntervalMs: INTERVAL_MS,
        leaseMs,
      }),
    ),
  );
  const instances = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  cleanups.push(() => Promise.all(instances.map((instance) => instance.stop())));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  return { sim, receiver, databaseUrl, instances, db };
}

async function link(cluster: Cluster, instance: Instance, userId: string): Promise<Connection> {
  const loginId = cluster.sim.createLogin('greatday_nomfa');
  const response = await fetch(`${instance.url}/v1/connections`, {
    method: 'POST',
    headers: { ...bearer(userId), 'content-type': 'application/json' },
    body: JSON.stringify({ loginId }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { connection: Connection }).connection;
}

async function countReady(db: pg.Client): Promise<number> {
  const result = await db.query("SELECT count(*)::int AS n FROM retrievals WHERE state = 'ready'");
  return (result.rows[0] as { n: number }).n;
}

/** Pairs of data calls on one RequestId closer together than half the poll interval. */
function doublePolls(sim: Simulator): number {
  const last = new Map<string, number>();
  let doubles = 0;
  for (const entry of sim.requests()) {
    if (entry.endpoint !== 'GetAccountsDetail' && entry.endpoint !== 'GetAccountsDetailAsync')
      continue;
    if (entry.requestId === null) continue;
    const previous = last.get(entry.requestId);
    if (previous !== undefined && entry.at - previous < INTERVAL_MS / 2) doubles += 1;
    last.set(entry.requestId, entry.at);
  }
  return doubles;
}

/** GetAccountsDetail(Async) calls an instance made, from its `/metrics`. */
async function upstreamCalls(instance: Instance): Promise<number> {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(/^flinkit_upstream_calls_total\{([^}]*)\} (\d+)$/gm)) {
    if (/endpoint="GetAccountsDetail(Async)?"/.test(match[1] ?? '')) total += Number(match[2]);
  }
  return total;
}

describe('several proxy processes on one PostgreSQL database', () => {
  it('completes 300 retrievals spread over 3 instances, each exactly once, never double-polled', async () => {
    const cluster = await startCluster([{ id: 'a' }, { id: 'b' }, { id: 'c' }], 5_000);
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
    expect(doublePolls(cluster.sim)).toBe(0);
    // The work really was spread: every instance polled Flinks.
    for (const count of polls) expect(count).toBeGreaterThan(0);
  }, 80_000);
});

describe('an instance killed with SIGKILL', () => {
  it('has its retrievals finished by the others once its leases expire', async () => {
    // Upstream takes 4 s, so the victim is surely mid-run when it is killed.
    const cluster = await startCluster([{ id: 'a' }, { id: 'b' }, { id: 'victim' }], 1_500, 4_000);
    const [a, b, victim] = cluster.instances as [Instance, Instance, Instance];
    const users = Array.from({ length: 45 }, (_, i) => `user-${i}`);
    const linked = await inBatches(users, 9, (userId, i) =>
      link(cluster, [a, b, victim][i % 3]!, userId),
    );
    let held: string[] = [];
    await waitUntil(
      'the victim to hold leases mid-run',
      async () => {
        const result = await cluster.db.query(
          "SELECT id FROM retrievals WHERE lease_owner = 'victim' AND state = 'processing'",
        );
        held = result.rows.map((row: { id: string }) => row.id);
        return held.length > 0;
      },
      20_000,
    );
    victim.process.kill('SIGKILL');
    expect(await victim.exited).toBeNull();

    await waitUntil(
      'every retrieval ready',
      async () => (await countReady(cluster.db)) === 45,
      40_000,
    );
    await waitUntil('every delivery', () => cluster.receiver.counts.size === 45, 20_000);
    const rows = await cluster.db.query(
      'SELECT id, state, lease_owner FROM retrievals WHERE id = ANY($1)',
      [held],
    );
    expect(rows.rows).toHaveLength(held.length);
    for (const row of rows.rows) expect(row).toMatchObject({ state: 'ready', lease_owner: null });
    // Delivery is at least once (the victim may have died mid-delivery), never zero.
    for (const connection of linked) {
      expect(cluster.receiver.counts.get(connection.retrievalId) ?? 0).toBeGreaterThanOrEqual(1);
    }
  }, 80_000);
});

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
    const cluster = await startCluster([{ id: 'a', maxConcurrentSteps: 0 }, { id: 'b' }], 5_000);
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
