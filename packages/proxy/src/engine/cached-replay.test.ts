import { createManualClock, DEFAULT_MANUAL_CLOCK_START } from '@flinkit/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { type EngineFixture, hasStatus, startEngineFixture } from '../test/engine-fixture';

// With MostRecentCached, Authorize repeats the last refresh's outcome: after an abandoned MFA it
// answers 401 QUESTION_NOT_FOUND with a RequestId that still reads the cached data
// (help.flinks.com 43000761538 "Errors When Calling Authorize with Cached Mode").
const TERMINAL = hasStatus('ready', 'failed', 'timed_out');
const LINKED_AT = new Date(DEFAULT_MANUAL_CLOCK_START).toISOString();
let fixture: EngineFixture | undefined;

afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

/** A live Authorize of `loginId` left at its MFA challenge, as a customer who walked away. */
async function abandonMfa(sim: EngineFixture['sim'], loginId: string): Promise<void> {
  const base = `${sim.apiUrl}/v3/${sim.customerId}/BankingServices`;
  const { Token } = (await (
    await fetch(`${base}/GenerateAuthorizeToken`, {
      method: 'POST',
      headers: { 'flinks-auth-key': sim.secretKey },
    })
  ).json()) as { Token: string };
  const live = await fetch(`${base}/Authorize`, {
    method: 'POST',
    headers: { 'flinks-auth-key': Token, 'content-type': 'application/json' },
    body: JSON.stringify({ LoginId: loginId, MostRecentCached: false }),
  });
  expect(live.status).toBe(203);
}

describe('retrieval engine: a cached Authorize that replays an error', () => {
  it('retrieves the cached data after QUESTION_NOT_FOUND and marks the connection stale', async () => {
    const clock = createManualClock();
    fixture = await startEngineFixture({ clock, processingMs: 0 });
    const loginId = fixture.sim.createLogin('Greatday');
    clock.advance(3_600_000);
    await abandonMfa(fixture.sim, loginId);

    const { connection } = await fixture.engine.createConnection({ userId: 'user-1', loginId });
    const done = await fixture.waitFor(connection.id, TERMINAL);
    expect(done).toMatchObject({
      status: 'ready',
      error: null,
      lastRefresh: LINKED_AT,
      stale: {
        code: 'reconnect_required',
        flinksCode: 'QUESTION_NOT_FOUND',
        recoverable: true,
        message: expect.stringContaining('reconnect through Flinks Connect'),
      },
    });
    // The status stream says so before the data is in.
    const first = fixture.events.find((event) => event.stale !== null);
    expect(first?.status).not.toBe('ready');
    const stored = await fixture.engine.getPayload('user-1', connection.id);
    expect(stored?.payload.Accounts).toHaveLength(3);
    expect(fixture.callsByEndpoint()).toMatchObject({ Authorize: 2, GetAccountsDetail: 1 });
  });

  it('clears stale after a refresh whose cached Authorize succeeds', async () => {
    fixture = await startEngineFixture({ clock: createManualClock(), processingMs: 0 });
    const loginId = fixture.sim.createLogin('greatday_nomfa', {
      lastRefreshError: 'SESSION_EXPIRED',
    });
    const { connection } = await fixture.engine.createConnection({ userId: 'user-1', loginId });
    const stale = await fixture.waitFor(connection.id, TERMINAL);
    expect(stale.stale).toMatchObject({ flinksCode: 'SESSION_EXPIRED' });

    fixture.sim.createLogin('greatday_nomfa', { lastRefreshError: null });
    const refreshed = await fixture.engine.refresh('user-1', connection.id);
    expect(refreshed?.lastRefresh).toBe(LINKED_AT); // known until Flinks says anew
    const done = await fixture.waitFor(
      connection.id,
      (c) => c.retrievalId === refreshed?.retrievalId && TERMINAL(c),
    );
    expect(done).toMatchObject({ status: 'ready', stale: null, lastRefresh: LINKED_AT });
  });

  it('keeps INVALID_LOGIN terminal', async () => {
    fixture = await startEngineFixture();
    const { connection } = await fixture.engine.createConnection({
      userId: 'user-1',
      loginId: '7f1c2a9e-0000-4000-8000-000000000000',
    });
    const done = await fixture.waitFor(connection.id, TERMINAL);
    expect(done).toMatchObject({
      status: 'failed',
      stale: null,
      error: { flinksCode: 'INVALID_LOGIN', recoverable: false },
    });
    expect(fixture.callsByEndpoint().GetAccountsDetail).toBeUndefined();
  });
});
