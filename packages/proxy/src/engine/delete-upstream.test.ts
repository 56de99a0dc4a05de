import { afterEach, describe, expect, it } from 'vitest';
import { type EngineFixture, hasStatus, link, startEngineFixture } from '../test/engine-fixture';

let fixture: EngineFixture | undefined;

afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

describe('retrieval engine: DeleteCard upstream', () => {
  it('deletes a connection whose login Flinks already forgot (INVALID_LOGIN)', async () => {
    fixture = await startEngineFixture({ processingMs: 0, deleteCardUnknown: 'INVALID_LOGIN' });
    const { connection, loginId } = await link(fixture, 'greatday_nomfa');
    await fixture.waitFor(connection.id, hasStatus('ready'));
    const forgotten = await fetch(
      `${fixture.sim.apiUrl}/v3/${fixture.sim.customerId}/BankingServices/DeleteCard/${loginId}`,
      {
        method: 'DELETE',
        headers: { 'x-api-key': fixture.sim.apiKey, 'content-type': 'application/json' },
      },
    );
    expect(forgotten.status).toBe(200);
    expect(
      await fixture.engine.deleteConnection('user-1', connection.id, { deleteUpstream: true }),
    ).toBe(true);
    expect(await fixture.engine.getConnection('user-1', connection.id)).toBeNull();
    expect(fixture.sim.requests().filter((r) => r.endpoint === 'DeleteCard')).toMatchObject([
      { status: 200 },
      { status: 401, flinksCode: 'INVALID_LOGIN' },
    ]);
  });

  it('keeps the connection when Flinks answers CARD_IN_USE, so the delete can be retried', async () => {
    fixture = await startEngineFixture({ processingMs: 60_000 });
    const { connection } = await link(fixture, 'greatday_nomfa');
    await fixture.waitFor(connection.id, hasStatus('processing'));
    await expect(
      fixture.engine.deleteConnection('user-1', connection.id, { deleteUpstream: true }),
    ).rejects.toMatchObject({ flinksCode: 'CARD_IN_USE', recoverable: true });
    expect(await fixture.engine.getConnection('user-1', connection.id)).not.toBeNull();
  });
});
