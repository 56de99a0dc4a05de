import { createManualClock } from '@flinkit/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EngineFixture,
  hasStatus,
  link,
  requestIdsOf,
  startEngineFixture,
  startWebhookSink,
  type WebhookSink,
  waitUntil,
} from '../test/engine-fixture';

const TERMINAL = hasStatus('ready', 'failed', 'timed_out');
let fixture: EngineFixture | undefined;
let sink: WebhookSink | undefined;

afterEach(async () => {
  await fixture?.dispose();
  await sink?.close();
  fixture = undefined;
  sink = undefined;
});

describe('retrieval engine: webhooks and exactly-once completion', () => {
  it('completes from the webhook when it arrives before the poll, and ignores its repeat', async () => {
    sink = await startWebhookSink();
    fixture = await startEngineFixture(
      { clock: createManualClock(), processingMs: 1_000, webhook: { url: sink.url } },
      { pollIntervalMs: 60_000 },
    );
    const { connection } = await link(fixture, 'greatday_nomfa');
    await fixture.waitFor(connection.id, hasStatus('processing'));
    const [requestId] = requestIdsOf(fixture);
    fixture.sim.completeRequest(requestId!);
    await fixture.sim.sendWebhook(requestId!);
    expect(await fixture.engine.ingestWebhook(sink.bodies[0])).toBe('completed');
    expect(await fixture.engine.ingestWebhook(sink.bodies[0])).toBe('duplicate');
    expect((await fixture.engine.getConnection('user-1', connection.id))?.status).toBe('ready');
    expect(fixture.callsByEndpoint().GetAccountsDetailAsync).toBeUndefined();
    await waitUntil(() => fixture!.deliveries.length === 1);
    expect(fixture.events.filter(hasStatus('ready'))).toHaveLength(1);
  });

  it('completes the connection linked with the webhook’s Tag when several users share the loginId', async () => {
    sink = await startWebhookSink();
    fixture = await startEngineFixture(
      { clock: createManualClock(), processingMs: 60_000, webhook: { url: sink.url } },
      { pollIntervalMs: 60_000 },
    );
    const { sim, engine } = fixture;
    const loginId = sim.createLogin('greatday_nomfa');
    const alice = await engine.createConnection({ userId: 'alice', loginId, tag: 'tag-alice' });
    const bob = await engine.createConnection({ userId: 'bob', loginId, tag: 'tag-bob' });
    await fixture.waitFor(alice.connection.id, hasStatus('processing'));
    await fixture.waitFor(bob.connection.id, hasStatus('processing'));

    // Flinks' webhook of another session of this login (Alice linking again in Connect): its
    // RequestId is none of ours; Bob's retrieval is the newest, but the Tag is Alice's.
    const base = `${sim.apiUrl}/v3/${sim.customerId}/BankingServices`;
    const { Token } = (await (
      await fetch(`${base}/GenerateAuthorizeToken`, {
        method: 'POST',
        headers: { 'flinks-auth-key': sim.secretKey },
      })
    ).json()) as { Token: string };
    const { RequestId } = (await (
      await fetch(`${base}/Authorize`, {
        method: 'POST',
        headers: { 'flinks-auth-key': Token, 'content-type': 'application/json' },
        body: JSON.stringify({ LoginId: loginId, MostRecentCached: true, Tag: 'tag-alice' }),
      })
    ).json()) as { RequestId: string };
    sim.completeRequest(RequestId);
    await sim.webhooksIdle();
    const body = sink.bodies.find(
      (hook) => (hook as { RequestId?: string }).RequestId === RequestId,
    );
    expect(body).toMatchObject({ Tag: 'tag-alice', Login: { Id: loginId } });

    expect(await engine.ingestWebhook(body)).toBe('completed');
    expect((await engine.getConnection('alice', alice.connection.id))?.status).toBe('ready');
    expect((await engine.getConnection('bob', bob.connection.id))?.status).toBe('processing');
    // Without a Tag of ours, the newest running retrieval of the login is completed.
    expect(await engine.ingestWebhook({ ...(body as object), Tag: 'someone-else' })).toBe(
      'completed',
    );
    expect((await engine.getConnection('bob', bob.connection.id))?.status).toBe('ready');
  });

  it('answers duplicate to a webhook after the poll completed', async () => {
    fixture = await startEngineFixture({ processingMs: 0 });
    const { connection, loginId } = await link(fixture, 'greatday_nomfa');
    await fixture.waitFor(connection.id, TERMINAL);
    const [requestId] = requestIdsOf(fixture);
    const body = {
      ResponseType: 'GetAccountsDetail',
      RequestId: requestId,
      Accounts: [],
      Login: { Id: loginId },
    };
    expect(await fixture.engine.ingestWebhook(body)).toBe('duplicate');
    // The poll's accounts stay: the late webhook's empty list replaced nothing.
    const stored = await fixture.engine.getPayload('user-1', connection.id);
    if (stored === null) throw new Error('the poll stored no payload');
    expect(stored.payload.Accounts).toEqual(expect.any(Array));
    expect((stored.payload.Accounts as unknown[]).length).toBeGreaterThan(0);
  });

  // The poll and webhooks completing one retrieval together: test/completion-race.test.ts.

  it('matches a webhook by loginId when its RequestId is unknown, and sorts out the rest', async () => {
    fixture = await startEngineFixture(
      { clock: createManualClock(), processingMs: 1_000 },
      { pollIntervalMs: 60_000 },
    );
    const { connection, loginId } = await link(fixture, 'greatday_nomfa');
    await fixture.waitFor(connection.id, hasStatus('processing'));
    const accounts = [{ Id: 'a1', AccountNumber: '1234567' }];
    expect(
      await fixture.engine.ingestWebhook({ ResponseType: 'KYC', Login: { Id: loginId } }),
    ).toBe('ignored');
    expect(await fixture.engine.ingestWebhook('not an object')).toBe('ignored');
    expect(
      await fixture.engine.ingestWebhook({
        ResponseType: 'GetAccountsDetail',
        Login: { Id: 'someone-else' },
        Accounts: accounts,
      }),
    ).toBe('unmatched');
    expect(
      await fixture.engine.ingestWebhook({
        ResponseType: 'GetAccountsDetail',
        RequestId: 'old',
        Login: { Id: loginId },
        Accounts: accounts,
      }),
    ).toBe('completed');
    expect((await fixture.engine.getPayload('user-1', connection.id))?.payload.Accounts).toEqual(
      accounts,
    );
  });
});
