import type { Connection } from '@flinkit/core/wire';
import { type FaultRule, type Simulator, startSimulator } from '@flinkit/simulator';
import pg from 'pg';
import { expect } from 'vitest';
import {
  bearer,
  type Instance,
  type InstanceSettings,
  type Receiver,
  spawnInstance,
  startReceiver,
} from './instances';
import type { TestPostgres } from './postgres';

/** What a test gives {@link startCluster}: its PostgreSQL server and a cleanup list it runs. */
export interface ClusterHost {
  server: TestPostgres;
  cleanups: Array<() => Promise<unknown> | unknown>;
}

/** Settings shared by every instance of one cluster. */
export interface ClusterOptions {
  leaseMs: number;
  pollIntervalMs: number;
  /** The simulator's processing time (Authorize → accounts ready); default 1 s. */
  processingMs?: number;
  faults?: FaultRule[];
}

/** One instance of {@link startCluster}, as `InstanceSettings` less what the cluster shares. */
export type InstanceSpec = Pick<InstanceSettings, 'id' | 'maxConcurrentSteps' | 'stopAfterClaim'>;

/** Proxy processes on one fresh PostgreSQL database, the simulator and a forward receiver. */
export interface Cluster {
  sim: Simulator;
  receiver: Receiver;
  databaseUrl: string;
  instances: Instance[];
  /** A client of the database, to read the rows themselves. */
  db: pg.Client;
  /** Starts more instances on the same database (stopped by the host's cleanups). */
  spawn(specs: InstanceSpec[]): Promise<Instance[]>;
}

/** Starts `specs` at once on an empty database: their migrations serialise on the lock. */
export async function startCluster(
  host: ClusterHost,
  specs: InstanceSpec[],
  options: ClusterOptions,
): Promise<Cluster> {
  const databaseUrl = await host.server.createDatabase();
  const sim = await startSimulator({
    processingMs: options.processingMs ?? 1_000,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  host.cleanups.push(() => sim.close());
  const receiver = await startReceiver();
  host.cleanups.push(() => receiver.close());
  const spawn = async (more: InstanceSpec[]) => {
    const settled = await Promise.allSettled(
      more.map((spec) =>
        spawnInstance({
          ...spec,
          databaseUrl,
          sim,
          forwardUrl: receiver.url,
          pollIntervalMs: options.pollIntervalMs,
          leaseMs: options.leaseMs,
        }),
      ),
    );
    const started = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    host.cleanups.push(() => Promise.all(started.map((instance) => instance.stop())));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return started;
  };
  const instances = await spawn(specs);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  host.cleanups.push(() => db.end());
  return { sim, receiver, databaseUrl, instances, db, spawn };
}

/** Links a new Toolbox login of `userId` through `instance`'s HTTP API. */
export async function link(cluster: Cluster, instance: Instance, userId: string) {
  const loginId = cluster.sim.createLogin('greatday_nomfa');
  const response = await fetch(`${instance.url}/v1/connections`, {
    method: 'POST',
    headers: { ...bearer(userId), 'content-type': 'application/json' },
    body: JSON.stringify({ loginId }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { connection: Connection }).connection;
}

/** Retrievals in state `ready`. */
export async function countReady(db: pg.Client): Promise<number> {
  const result = await db.query("SELECT count(*)::int AS n FROM retrievals WHERE state = 'ready'");
  return (result.rows[0] as { n: number }).n;
}

/** Data calls (GetAccountsDetail and …Async) of the simulator's log, by RequestId, in order. */
export function dataCallsByRequestId(sim: Simulator): Map<string, number[]> {
  const calls = new Map<string, number[]>();
  for (const entry of sim.requests()) {
    if (entry.endpoint !== 'GetAccountsDetail' && entry.endpoint !== 'GetAccountsDetailAsync')
      continue;
    if (entry.requestId === null) continue;
    calls.set(entry.requestId, [...(calls.get(entry.requestId) ?? []), entry.at]);
  }
  return calls;
}

/** Pairs of data calls on one RequestId closer together than half the poll interval. */
export function doublePolls(sim: Simulator, pollIntervalMs: number): number {
  let doubles = 0;
  for (const times of dataCallsByRequestId(sim).values()) {
    for (let i = 1; i < times.length; i++) {
      if ((times[i] as number) - (times[i - 1] as number) < pollIntervalMs / 2) doubles += 1;
    }
  }
  return doubles;
}

/** GetAccountsDetail(Async) calls an instance made, from its `/metrics`. */
export async function upstreamCalls(instance: Instance): Promise<number> {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(/^flinkit_upstream_calls_total\{([^}]*)\} (\d+)$/gm)) {
    if (/endpoint="GetAccountsDetail(Async)?"/.test(match[1] ?? '')) total += Number(match[2]);
  }
  return total;
}
