import { createManualClock, generateAccountsDetail } from '@flinkit/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EngineFixture,
  hasStatus,
  startEngineFixture,
  waitUntil,
} from '../test/engine-fixture';

// Without AccountsFilter, GetAccountsDetail returns every account, chosen in Connect or not
// (help.flinks.com 43000436137 "Account Selector + Accounts Filtering"), and a webhook carries
// every account: the proxy filters by the customer's choice everywhere.
const READY = hasStatus('ready');
let fixture: EngineFixture | undefined;

afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

const idsOf = (payload: Record<string, unknown> | undefined) =>
  ((payload?.Accounts ?? []) as { Id: string }[]).map((account) => account.Id);

describe('retrieval engine: account selection', () => {
  it('sends AccountsFilter and keeps only the chosen accounts, on every retrieval', async () => {
    const filters: unknown[] = [];
    const recording: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/GetAccountsDetail')) {
        filters.push(JSON.parse(String(init?.body)).AccountsFilter);
      }
      return fetch(input, init);
    };
    const clock = createManualClock();
    fixture = await startEngineFixture({ clock, processingMs: 0 }, { fetch: recording });
    const loginId = fixture.sim.createLogin('greatday_nomfa');
    // The simulator's accounts for this login (its data is seeded by loginId and date).
    const accounts = generateAccountsDetail({ loginId, now: clock.now() });
    const [chequing, savings, card] = accounts.map((account) => account.Id);
    const { connection } = await fixture.engine.createConnection({
      userId: 'user-1',
      loginId,
      accountIds: [savings as string],
    });
    await fixture.waitFor(connection.id, READY);
    expect(idsOf((await fixture.engine.getPayload('user-1', connection.id))?.payload)).toEqual([
      savings,
    ]);
    await waitUntil(() => fixture!.deliveries.length === 1);
    expect(idsOf(fixture.deliveries[0]?.payload)).toEqual([savings]);

    const refreshed = await fixture.engine.refresh('user-1', connection.id);
    await fixture.waitFor(
      connection.id,
      (c) => c.retrievalId === refreshed?.retrievalId && READY(c),
    );
    expect(idsOf((await fixture.engine.getPayload('user-1', connection.id))?.payload)).toEqual([
      savings,
    ]);

    // Linking again through Connect with another choice replaces it.
    const relinked = await fixture.engine.createConnection({
      userId: 'user-1',
      loginId,
      accountIds: [chequing as string, card as string],
    });
    await fixture.waitFor(
      connection.id,
      (c) => c.retrievalId === relinked.connection.retrievalId && READY(c),
    );
    expect(idsOf((await fixture.engine.getPayload('user-1', connection.id))?.payload)).toEqual([
      chequing,
      card,
    ]);
    expect(filters).toEqual([[savings], [savings], [chequing, card]]);
  });

  it('keeps only the chosen accounts when a Flinks webhook with every account completes it', async () => {
    fixture = await startEngineFixture({ clock: createManualClock(), processingMs: 60_000 });
    const loginId = fixture.sim.createLogin('greatday_nomfa');
    const accounts = generateAccountsDetail({ loginId });
    const chosen = accounts[2]?.Id as string;
    const { connection } = await fixture.engine.createConnection({
      userId: 'user-1',
      loginId,
      accountIds: [chosen],
    });
    await fixture.waitFor(connection.id, hasStatus('processing'));
    const outcome = await fixture.engine.ingestWebhook({
      ResponseType: 'GetAccountsDetail',
      HttpStatusCode: 200,
      Accounts: accounts,
      Login: { Id: loginId },
      RequestId: 'the-connect-session',
    });
    expect(outcome).toBe('completed');
    await fixture.waitFor(connection.id, READY);
    expect(idsOf((await fixture.engine.getPayload('user-1', connection.id))?.payload)).toEqual([
      chosen,
    ]);
    await waitUntil(() => fixture!.deliveries.length === 1);
    expect(idsOf(fixture.deliveries[0]?.payload)).toEqual([chosen]);
  });

  it('retrieves every account without a selection', async () => {
    fixture = await startEngineFixture({ processingMs: 0 });
    const loginId = fixture.sim.createLogin('greatday_nomfa');
    const { connection } = await fixture.engine.createConnection({
      userId: 'user-1',
      loginId,
      accountIds: [],
    });
    await fixture.waitFor(connection.id, READY);
    expect(idsOf((await fixture.engine.getPayload('user-1', connection.id))?.payload)).toHaveLength(
      3,
    );
  });
});
