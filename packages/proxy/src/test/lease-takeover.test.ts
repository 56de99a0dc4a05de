import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClusterHost,
  countReady,
  dataCallsByRequestId,
  doublePolls,
  link,
  startCluster,
} from './cluster';
import { type Instance, waitUntil } from './instances';
import { startTestPostgres, type TestPostgres } from './postgres';

// A retrieval's lease on PostgreSQL (apps/docs/architecture.md#retrieval-engine): an instance that
// dies or stalls in the middle of a step keeps its rows until `lease_until`; only then do the
// others take them over, and the one that lost its lease never calls Flinks for them again. The
// steps here are held in flight (upstream latency, a stopped process), so a takeover cannot pass
// for a normal release.
let server: TestPostgres;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
const host: ClusterHost = {
  get server() {
    return server;
  },
  cleanups,
};

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(() => server?.stop(), 30_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface LeaseRow {
  id: string;
  request_id: string;
  state: string;
  attempt: number;
  lease_owner: string | null;
  lease_until: string | null;
}

describe('an instance killed with SIGKILL in the middle of a step', () => {
  it('keeps its retrievals until lease_until; the others then finish them, with no double poll', async () => {
    const RETRIEVALS = 6;
    const LEASE_MS = 4_000;
    const INTERVAL_MS = 500;
    // Each retrieval's first poll is held upstream far longer than the test: whoever sent it is
    // still in that step when it is killed.
    const cluster = await startCluster(host, [{ id: 'victim' }], {
      leaseMs: LEASE_MS,
      pollIntervalMs: INTERVAL_MS,
      processingMs: 1_000,
      faults: [
        {
          endpoint: 'GetAccountsDetailAsync',
          kind: 'latency',
          latencyMs: 300_000,
          times: RETRIEVALS,
        },
      ],
    });
    const [victim] = cluster.instances as [Instance];
    const linked = await Promise.all(
      Array.from({ length: RETRIEVALS }, (_, i) => link(cluster, victim, `user-${i}`)),
    );
    const heldPolls = () =>
      cluster.sim.requests().filter((entry) => entry.endpoint === 'GetAccountsDetailAsync').length;
    await waitUntil(
      'the first poll of every retrieval, held upstream',
      () => heldPolls() >= RETRIEVALS,
      30_000,
    );
    // The others start while the victim still holds (and renews) every lease.
    await cluster.spawn([{ id: 'a' }, { id: 'b' }]);

    victim.process.kill('SIGKILL');
    expect(await victim.exited).toBeNull();
    const killedAt = Date.now();
    const { rows } = await cluster.db.query<LeaseRow>(
      'SELECT id, request_id, state, attempt, lease_owner, lease_until FROM retrievals',
    );
    expect(rows).toHaveLength(RETRIEVALS);
    for (const row of rows) {
      // Killed mid-step: a live lease, renewed while the poll was held.
      expect(row).toMatchObject({ state: 'processing', lease_owner: 'victim' });
      expect(Number(row.lease_until)).toBeGreaterThan(killedAt);
    }

    await waitUntil(
      'every retrieval ready',
      async () => (await countReady(cluster.db)) === RETRIEVALS,
      40_000,
    );
    await waitUntil('a delivery each', () => cluster.receiver.counts.size === RETRIEVALS, 20_000);
    const calls = dataCallsByRequestId(cluster.sim);
    for (const row of rows) {
      // GetAccountsDetail, the held poll, then the takeover: not before the lease ran out.
      const [, held, takeover] = calls.get(row.request_id) ?? [];
      expect(held, row.id).toBeDefined();
      expect(takeover, row.id).toBeGreaterThanOrEqual(Number(row.lease_until));
    }
    expect(doublePolls(cluster.sim, INTERVAL_MS)).toBe(0);
    expect(cluster.sim.requests().filter((entry) => entry.endpoint === 'Authorize')).toHaveLength(
      RETRIEVALS,
    );
    for (const connection of linked) {
      expect(cluster.receiver.counts.get(connection.retrievalId)).toBe(1);
    }
    const final = await cluster.db.query('SELECT state, lease_owner FROM retrievals');
    for (const row of final.rows) expect(row).toEqual({ state: 'ready', lease_owner: null });
  }, 120_000);
});

describe('an instance whose event loop stalls past its lease', () => {
  it('does not poll a retrieval it claimed once the lease ran out and another instance took it', async () => {
    const INTERVAL_MS = 4_000;
    // Upstream never finishes: every data call is a poll, and each one shows in the log.
    const cluster = await startCluster(host, [{ id: 'stalled', stopAfterClaim: true }], {
      leaseMs: 2_000,
      pollIntervalMs: INTERVAL_MS,
      processingMs: 3_600_000,
    });
    const [stalled] = cluster.instances as [Instance];
    await link(cluster, stalled, 'user-1');
    // It claimed the retrieval to poll it, then stopped before polling (SIGSTOP, by itself).
    const { retrievalId, leaseUntil } = await stalled.stalled;
    const read = async () =>
      (
        await cluster.db.query<LeaseRow>(
          'SELECT id, request_id, state, attempt, lease_owner, lease_until FROM retrievals WHERE id = $1',
          [retrievalId],
        )
      ).rows[0] as LeaseRow;
    const claimed = await read();
    expect(claimed).toMatchObject({ state: 'processing', attempt: 1, lease_owner: 'stalled' });

    const [taker] = await cluster.spawn([{ id: 'taker' }]);
    expect(taker).toBeDefined();
    await waitUntil(
      "the taker's poll, written",
      async () => {
        const row = await read();
        return row.attempt === 2 && row.lease_owner === null;
      },
      30_000,
    );
    const takeover = dataCallsByRequestId(cluster.sim).get(claimed.request_id)?.[1];
    expect(takeover).toBeGreaterThanOrEqual(leaseUntil);

    // The stalled loop resumes; a graceful stop then waits for the step it had in hand, so a
    // poll it would send is in the simulator's log once it has exited.
    stalled.process.kill('SIGCONT');
    await stalled.stop();
    expect(await stalled.exited).toBe(0);
    const polls = dataCallsByRequestId(cluster.sim).get(claimed.request_id) ?? [];
    expect(doublePolls(cluster.sim, INTERVAL_MS), `data calls at ${polls.join(', ')}`).toBe(0);
    expect((await read()).attempt).toBe(polls.length);
  }, 90_000);
});
