import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Connection } from '@flinkit/core/wire';
import { createManualClock, type Simulator, startSimulator } from '@flinkit/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const LEASE_MS = 600;
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Child {
  process: ChildProcess;
  /** Resolves with the first status event matching `predicate`. */
  waitFor(predicate: (connection: Connection) => boolean): Promise<Connection>;
  exited: Promise<number | null>;
}

function startChild(
  sim: Simulator,
  dbPath: string,
  keyBase64: string,
  extra: Record<string, unknown>,
): Child {
  const config = {
    apiUrl: sim.apiUrl,
    customerId: sim.customerId,
    secretKey: sim.secretKey,
    apiKey: sim.apiKey,
    dbPath,
    keyBase64,
    leaseMs: LEASE_MS,
    pollIntervalMs: 100,
    ...extra,
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@flinkit/source', CHILD],
    {
      env: { ...process.env, FLINKIT_CRASH_CHILD: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  const seen: Connection[] = [];
  const waiters: Array<{
    predicate: (c: Connection) => boolean;
    resolve: (c: Connection) => void;
  }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as { type: string; connection?: Connection };
    if (!message.connection) return;
    seen.push(message.connection);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(message.connection)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message.connection);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    exited,
    waitFor: (predicate) =>
      new Promise((resolve, reject) => {
        const found = seen.find(predicate);
        if (found) return resolve(found);
        waiters.push({ predicate, resolve });
        void exited.then((code) =>
          reject(new Error(`child exited (${code}) before the awaited status`)),
        );
      }),
  };
}

async function setup() {
  const clock = createManualClock();
  const sim = await startSimulator({ clock, processingMs: 1_000 });
  const dir = mkdtempSync(join(tmpdir(), 'flinkit-crash-'));
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => sim.close(),
  );
  return { clock, sim, dbPath: join(dir, 'flinkit.db'), key: randomBytes(32).toString('base64') };
}

function count(sim: Simulator, endpoint: string): number {
  return sim.requests().filter((request) => request.endpoint === endpoint).length;
}

describe('engine crash recovery (kill -9, real processes, one SQLite file)', () => {
  it('resumes polling after a kill between polls, without a second Authorize', async () => {
    const { clock, sim, dbPath, key } = await setup();
    const loginId = sim.createLogin('greatday_nomfa');
    const first = startChild(sim, dbPath, key, { connect: { userId: 'user-1', loginId } });
    const polling = await first.waitFor((c) => c.status === 'processing' && c.attempt >= 2);
    first.process.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    clock.advance(1_000); // upstream processing finishes while no proxy runs
    const second = startChild(sim, dbPath, key, { watch: polling.id });
    const done = await second.waitFor((c) => c.status === 'ready');
    expect(done.retrievalId).toBe(polling.retrievalId);
    expect(done.attempt).toBeGreaterThan(polling.attempt);
    expect(count(sim, 'Authorize')).toBe(1);
    expect(count(sim, 'GetAccountsDetail')).toBe(1);
    expect(await second.exited).toBe(0);
  }, 30_000);

  it('goes on with GetAccountsDetailAsync after a kill during a held GetAccountsDetail, never a second POST', async () => {
    const { clock, sim, dbPath, key } = await setup();
    // Flinks may hold GetAccountsDetail up to 210 s (help.flinks.com 43000436113).
    const loginId = sim.createLogin('greatday_nomfa', { holdDetailMs: 200_000 });
    const first = startChild(sim, dbPath, key, { connect: { userId: 'user-1', loginId } });
    const linked = await first.waitFor(() => true);
    const deadline = Date.now() + 15_000;
    while (sim.heldRequests().length === 0) {
      if (Date.now() > deadline) throw new Error('GetAccountsDetail was never held');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.process.kill('SIGKILL');
    await first.exited;

    clock.advance(1_000); // processing finishes upstream; the POST is still held there
    const second = startChild(sim, dbPath, key, { watch: linked.id });
    const done = await second.waitFor((c) => c.status === 'ready');
    expect(done.retrievalId).toBe(linked.retrievalId);
    expect(count(sim, 'GetAccountsDetail')).toBe(0); // no second POST was answered…
    expect(sim.heldRequests()).toHaveLength(1); // …and the only one is the first, still held
    expect(count(sim, 'GetAccountsDetailAsync')).toBeGreaterThanOrEqual(1);
    expect(count(sim, 'Authorize')).toBe(1);
  }, 30_000);

  it('takes over the lease of a process killed in the middle of a poll', async () => {
    const { clock, sim, dbPath, key } = await setup();
    const loginId = sim.createLogin('greatday_nomfa');
    const first = startChild(sim, dbPath, key, { connect: { userId: 'user-1', loginId } });
    const polling = await first.waitFor((c) => c.status === 'processing' && c.attempt >= 1);
    // The next poll hangs upstream, so the first process dies holding the lease.
    sim.setFaults([
      { endpoint: 'GetAccountsDetailAsync', kind: 'latency', latencyMs: 20_000, times: 1 },
    ]);
    const store = await openSqliteStore(dbPath);
    cleanups.push(() => store.close());
    let leased = await store.getRetrieval(polling.retrievalId);
    const deadline = Date.now() + 15_000;
    while (!leased?.leaseOwner) {
      if (Date.now() > deadline) throw new Error('the first process never leased the poll');
      await new Promise((resolve) => setTimeout(resolve, 10));
      leased = await store.getRetrieval(polling.retrievalId);
    }
    first.process.kill('SIGKILL');
    await first.exited;

    clock.advance(1_000);
    const second = startChild(sim, dbPath, key, { watch: polling.id });
    const done = await second.waitFor((c) => c.status === 'ready');
    expect(done.retrievalId).toBe(polling.retrievalId);
    expect(count(sim, 'Authorize')).toBe(1);
    const row = await store.getRetrieval(polling.retrievalId);
    expect(row).toMatchObject({ state: 'ready', leaseOwner: null });
  }, 30_000);
});
