import { createManualClock } from '@flinkit/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite';
import { type EngineFixture, hasStatus, link, startEngineFixture } from '../test/engine-fixture';

// Flinks may hold GetAccountsDetail up to 210 s before it answers (help.flinks.com 43000436113
// "Timeout Lengths"); the simulator holds it on its manual clock, so nothing here waits 210 s.
const READY = hasStatus('ready');
const fixtures: EngineFixture[] = [];

afterEach(async () => {
  for (const fixture of fixtures.splice(0)) await fixture.dispose();
});

/** Resolves once `condition` holds; fails after `ms` (no fixed sleep decides anything). */
async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Polls `read` until `predicate` holds (with a deadline). */
async function eventually<T>(read: () => Promise<T | null>, predicate: (value: T) => boolean) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (value !== null && predicate(value)) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for a state');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function countOf(fixture: EngineFixture, endpoint: string): number {
  return fixture.sim.requests().filter((request) => request.endpoint === endpoint).length;
}

describe('retrieval engine: held GetAccountsDetail', () => {
  it('holds many GetAccountsDetail calls at once with 2 step slots, and other retrievals go on', async () => {
    const clock = createManualClock();
    const fixture = await startEngineFixture({ clock, processingMs: 0 }, { maxConcurrentSteps: 2 });
    fixtures.push(fixture);
    const loginId = fixture.sim.createLogin('greatday_nomfa', { holdDetailMs: 60_000 });
    const held = [];
    for (let index = 0; index < 20; index++) {
      const { connection } = await fixture.engine.createConnection({
        userId: `held-${index}`,
        loginId,
      });
      held.push(connection);
    }
    await until(() => fixture.sim.heldRequests().length === 20, '20 held requests');

    // Meanwhile retrievals of a login Flinks answers at once still finish.
    const { connection: quick } = await link(fixture, 'Greatday', 'quick-user');
    expect((await fixture.waitFor(quick.id, READY)).status).toBe('ready');
    expect(fixture.sim.heldRequests()).toHaveLength(20);

    clock.advance(60_000);
    for (const connection of held) await fixture.waitFor(connection.id, READY);
    expect(countOf(fixture, 'GetAccountsDetail')).toBe(21);
    expect(countOf(fixture, 'GetAccountsDetailAsync')).toBe(0);
  });

  it('goes on with GetAccountsDetailAsync after a client timeout, never a second POST', async () => {
    const clock = createManualClock();
    const fixture = await startEngineFixture(
      { clock, processingMs: 5_000, holdDetailMs: 210_000 },
      { flinks: { detailTimeoutMs: 200, maxRetries: 2 } },
    );
    fixtures.push(fixture);
    const { connection } = await link(fixture, 'greatday_nomfa');
    const polling = await fixture.waitFor(
      connection.id,
      (c) => c.status === 'processing' && c.attempt >= 2,
    );
    expect(polling.error).toBeNull();
    expect(countOf(fixture, 'GetAccountsDetailAsync')).toBeGreaterThanOrEqual(1);
    clock.advance(210_000);
    await fixture.waitFor(connection.id, READY);
    expect(countOf(fixture, 'GetAccountsDetail')).toBe(1);
    expect(countOf(fixture, 'Authorize')).toBe(1);
  });

  it('stop() abandons a held call at once; a new engine polls Async and never POSTs again', async () => {
    const clock = createManualClock();
    const first = await startEngineFixture({ clock, processingMs: 5_000, holdDetailMs: 200_000 });
    fixtures.push(first);
    const { connection } = await link(first, 'greatday_nomfa');
    await until(() => first.sim.heldRequests().length === 1, 'the held request');
    await first.engine.stop();

    const store = await openSqliteStore(first.dbPath);
    const row = await store.getRetrieval(connection.retrievalId);
    await store.close();
    expect(row).toMatchObject({ leaseOwner: null, state: 'authorizing' });
    expect(row?.detailRequestedAt).toEqual(expect.any(Number));

    clock.advance(5_000); // processing is done upstream; the abandoned POST is still held
    // A new engine on the same file, against the same simulator (where the RequestId lives).
    const resumed = await startEngineFixture(
      {},
      {
        databaseUrl: `sqlite:${first.dbPath}`,
        encryptionKeys: first.encryptionKeys,
        flinks: { apiUrl: first.sim.apiUrl },
      },
    );
    fixtures.push(resumed);
    const done = await eventually(
      () => resumed.engine.getConnection('user-1', connection.id),
      READY,
    );
    expect(done.retrievalId).toBe(connection.retrievalId);
    expect(countOf(first, 'GetAccountsDetail')).toBe(0); // still held, never answered
    expect(first.sim.heldRequests()).toHaveLength(1);
    expect(countOf(first, 'GetAccountsDetailAsync')).toBeGreaterThanOrEqual(1);
    expect(countOf(first, 'Authorize')).toBe(1);
  });
});
