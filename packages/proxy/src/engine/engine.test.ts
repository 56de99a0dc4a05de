import { createManualClock } from '@flinkit/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EngineFixture,
  hasStatus,
  link,
  startEngineFixture,
  waitUntil,
} from '../test/engine-fixture';

const TERMINAL = hasStatus('ready', 'failed', 'timed_out');
let fixture: EngineFixture | undefined;

afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

describe('retrieval engine against the simulator', () => {
  it('completes when GetAccountsDetail answers 200 at once, and delivers once', async () => {
    fixture = await startEngineFixture({ processingMs: 0 });
    const { connection } = await link(fixture, 'greatday_nomfa');
    expect(connection).toMatchObject({ status: 'pending', attempt: 0, error: null });
    const done = await fixture.waitFor(connection.id, TERMINAL);
    expect(done).toMatchObject({ status: 'ready', attempt: 1, nextPollAt: null, error: null });
    expect(fixture.callsByEndpoint()).toEqual({
      GenerateAuthorizeToken: 1,
      Authorize: 1,
      GetAccountsDetail: 1,
    });
    const payload = await fixture.engine.getPayload('user-1', connection.id);
    expect(Array.isArray(payload?.payload.Accounts)).toBe(true);
    await waitUntil(() => fixture!.deliveries.length === 1);
    expect(fixture.deliveries[0]).toMatchObject({
      userId: 'user-1',
      connectionId: connection.id,
      retrievalId: done.retrievalId,
    });
    expect(fixture.deliveries[0]?.payload).toEqual(payload?.payload);
    const versions = fixture.events.map((event) => event.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('polls GetAccountsDetailAsync after a 202 until 200 (and reports the upstream calls)', async () => {
    fixture = await startEngineFixture({ processingMs: 150 });
    const { connection } = await link(fixture, 'greatday_nomfa');
    const processing = await fixture.waitFor(connection.id, hasStatus('processing'));
    expect(processing.nextPollAt).not.toBeNull();
    const done = await fixture.waitFor(connection.id, TERMINAL);
    expect(done.status).toBe('ready');
    const calls = fixture.callsByEndpoint();
    console.info(`upstream calls for one 202-then-200 retrieval: ${JSON.stringify(calls)}`);
    expect(calls).toMatchObject({ GenerateAuthorizeToken: 1, Authorize: 1, GetAccountsDetail: 1 });
    expect(calls.GetAccountsDetailAsync).toBeGreaterThanOrEqual(1);
    expect(done.attempt).toBe(1 + (calls.GetAccountsDetailAsync ?? 0));
  });

  it('polls after OPERATION_DISPATCHED like after OPERATION_PENDING', async () => {
    fixture = await startEngineFixture({ processingMs: 100, syncWindowMs: 100 });
    const { connection } = await link(fixture, 'test_dispatched');
    expect((await fixture.waitFor(connection.id, TERMINAL)).status).toBe('ready');
    expect(fixture.sim.requests().find((r) => r.endpoint === 'GetAccountsDetail')?.flinksCode).toBe(
      'OPERATION_DISPATCHED',
    );
  });

  it('times out when Flinks stays pending past the deadline', async () => {
    fixture = await startEngineFixture({}, { pollTimeoutMs: 300 });
    const { connection } = await link(fixture, 'test_pending');
    const done = await fixture.waitFor(connection.id, TERMINAL);
    expect(done).toMatchObject({
      status: 'timed_out',
      error: { code: 'timed_out', recoverable: true },
    });
    expect(fixture.callsByEndpoint().GetAccountsDetailAsync).toBeGreaterThanOrEqual(1);
    expect(fixture.deliveries).toEqual([]);
  });

  it('re-authorizes after SESSION_NONEXISTENT mid-poll and finishes', async () => {
    const clock = createManualClock();
    fixture = await startEngineFixture({ clock, processingMs: 1_000, requestIdTtlMs: 5_000 });
    const { connection } = await link(fixture, 'greatday_nomfa');
    const polling = await fixture.waitFor(
      connection.id,
      (c) => c.status === 'processing' && c.attempt >= 2,
    );
    clock.advance(6_000); // the first RequestId expires upstream
    const reauthorized = await fixture.waitFor(
      connection.id,
      (c) => c.status === 'processing' && c.version > polling.version + 2,
    );
    clock.advance(1_000); // the second one finishes processing
    const done = await fixture.waitFor(connection.id, TERMINAL);
    expect(done.status).toBe('ready');
    expect(reauthorized.attempt).toBeGreaterThan(polling.attempt);
    expect(fixture.sim.requests().some((r) => r.flinksCode === 'SESSION_NONEXISTENT')).toBe(true);
    expect(fixture.callsByEndpoint()).toMatchObject({ Authorize: 2, GetAccountsDetail: 2 });
  });

  it('fails with reauthorize_limit when the session keeps ending', async () => {
    fixture = await startEngineFixture(
      { clock: createManualClock(), requestIdTtlMs: 0 },
      { maxReauthorizations: 3 },
    );
    const { connection } = await link(fixture, 'greatday_nomfa');
    const done = await fixture.waitFor(connection.id, TERMINAL);
    expect(done).toMatchObject({
      status: 'failed',
      error: { code: 'reauthorize_limit', flinksCode: 'SESSION_NONEXISTENT', recoverable: true },
    });
    expect(fixture.callsByEndpoint().Authorize).toBe(4);
  });

  it('fails with the FlinksCode on a terminal error', async () => {
    fixture = await startEngineFixture();
    const { connection } = await link(fixture, 'test_disabled_account');
    const done = await fixture.waitFor(connection.id, TERMINAL);
    expect(done).toMatchObject({
      status: 'failed',
      error: { code: 'flinks_error', flinksCode: 'DISABLED_LOGIN', recoverable: false },
    });
    expect(fixture.callsByEndpoint()).toEqual({ GenerateAuthorizeToken: 1, Authorize: 1 });
  });

  it('backs off on RETRY_LATER until the deadline, then times out with the code', async () => {
    fixture = await startEngineFixture({}, { pollTimeoutMs: 300 });
    const { connection } = await link(fixture, 'test_service_unavailable');
    const done = await fixture.waitFor(connection.id, TERMINAL);
    expect(done).toMatchObject({
      status: 'timed_out',
      error: { flinksCode: 'RETRY_LATER', recoverable: true },
    });
    expect(fixture.callsByEndpoint().Authorize).toBeGreaterThan(1);
  });

  it('rides out 5xx on polls with backoff and finishes', async () => {
    fixture = await startEngineFixture(
      {
        processingMs: 100,
        faults: [{ endpoint: 'GetAccountsDetailAsync', kind: 'status', status: 503, times: 4 }],
      },
      { flinks: { maxRetries: 0 } },
    );
    const { connection } = await link(fixture, 'greatday_nomfa');
    expect((await fixture.waitFor(connection.id, TERMINAL)).status).toBe('ready');
    expect(fixture.sim.requests().filter((r) => r.status === 503)).toHaveLength(4);
    expect(fixture.callsByEndpoint().Authorize).toBe(1);
  });
});

describe('retrieval engine: connections', () => {
  it('shares one retrieval between concurrent connects, and starts a new one after it ends', async () => {
    fixture = await startEngineFixture({ processingMs: 0 });
    const loginId = fixture.sim.createLogin('greatday_nomfa');
    const results = await Promise.all(
      [1, 2, 3].map(() => fixture!.engine.createConnection({ userId: 'user-1', loginId })),
    );
    expect(new Set(results.map((r) => r.connection.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.connection.retrievalId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const id = results[0]!.connection.id;
    await fixture.waitFor(id, TERMINAL);
    expect(fixture.callsByEndpoint().Authorize).toBe(1);
    const again = await fixture.engine.createConnection({ userId: 'user-1', loginId });
    expect(again.connection.id).toBe(id);
    expect(again.connection.retrievalId).not.toBe(results[0]!.connection.retrievalId);
    await fixture.waitFor(id, (c) => c.retrievalId === again.connection.retrievalId && TERMINAL(c));
    expect(fixture.callsByEndpoint().Authorize).toBe(2);
  });

  it('refreshes, lists and deletes only for the owner', async () => {
    fixture = await startEngineFixture({ processingMs: 0 });
    const { connection } = await link(fixture, 'greatday_nomfa');
    await fixture.waitFor(connection.id, TERMINAL);
    expect(await fixture.engine.refresh('intruder', connection.id)).toBeNull();
    expect(await fixture.engine.getConnection('intruder', connection.id)).toBeNull();
    expect(await fixture.engine.getPayload('intruder', connection.id)).toBeNull();
    expect(await fixture.engine.deleteConnection('intruder', connection.id)).toBe(false);
    const refreshed = await fixture.engine.refresh('user-1', connection.id);
    if (refreshed === null) throw new Error('the owner could not refresh');
    expect(refreshed.retrievalId).not.toBe(connection.retrievalId);
    await fixture.waitFor(
      connection.id,
      (c) => c.retrievalId === refreshed.retrievalId && TERMINAL(c),
    );
    expect((await fixture.engine.listConnections('user-1')).map((c) => c.id)).toEqual([
      connection.id,
    ]);
    expect(await fixture.engine.countByStatus()).toEqual({ ready: 1 });
    expect(
      await fixture.engine.deleteConnection('user-1', connection.id, { deleteUpstream: true }),
    ).toBe(true);
    expect(fixture.callsByEndpoint().DeleteCard).toBe(1);
    expect(await fixture.engine.getConnection('user-1', connection.id)).toBeNull();
    expect(await fixture.engine.getPayload('user-1', connection.id)).toBeNull();
    expect(await fixture.engine.listConnections('user-1')).toEqual([]);
  });

  it('rejects an empty loginId with invalid_input', async () => {
    fixture = await startEngineFixture();
    await expect(
      fixture.engine.createConnection({ userId: 'user-1', loginId: ' ' }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      status: 400,
    });
  });
});
