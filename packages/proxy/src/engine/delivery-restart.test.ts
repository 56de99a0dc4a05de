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

describe('retrieval engine: delivery and restart', () => {
  it('retries a failing delivery with the same id until it is accepted', async () => {
    const attempts: string[] = [];
    fixture = await startEngineFixture(
      { processingMs: 0 },
      {
        deliver: async (delivery) => {
          attempts.push(delivery.deliveryId);
          if (attempts.length < 3) throw new Error('host down');
        },
      },
    );
    const { connection } = await link(fixture, 'greatday_nomfa');
    await fixture.waitFor(connection.id, TERMINAL);
    await waitUntil(() => attempts.length === 3);
    expect(new Set(attempts).size).toBe(1);
    await fixture.engine.stop();
    expect(attempts).toHaveLength(3);
  });

  it('delivers after a restart what the previous engine could not', async () => {
    let failures = 0;
    fixture = await startEngineFixture(
      { processingMs: 0 },
      {
        deliver: async () => {
          failures++;
          throw new Error('host down');
        },
        deliveryRetryBaseMs: 200,
      },
    );
    const { connection } = await link(fixture, 'greatday_nomfa');
    await fixture.waitFor(connection.id, TERMINAL);
    await waitUntil(() => failures === 1);
    await fixture.engine.stop();
    // The retry was scheduled durably; a fresh engine on the same file performs it.
    const second = await startEngineFixture(
      {},
      { databaseUrl: `sqlite:${fixture.dbPath}`, encryptionKeys: fixture.encryptionKeys },
    );
    try {
      await waitUntil(() => second.deliveries.length === 1);
      expect(second.deliveries[0]).toMatchObject({ connectionId: connection.id, userId: 'user-1' });
      expect(Array.isArray(second.deliveries[0]?.payload.Accounts)).toBe(true);
    } finally {
      await second.dispose();
    }
  });

  it('resumes in a new engine on the same file without a second Authorize', async () => {
    const clock = createManualClock();
    fixture = await startEngineFixture({ clock, processingMs: 1_000 });
    const { connection } = await link(fixture, 'greatday_nomfa');
    await fixture.waitFor(connection.id, (c) => c.status === 'processing' && c.attempt >= 2);
    await fixture.engine.stop();
    const second = await startEngineFixture(
      {},
      {
        databaseUrl: `sqlite:${fixture.dbPath}`,
        encryptionKeys: fixture.encryptionKeys,
        flinks: { apiUrl: fixture.sim.apiUrl },
      },
    );
    try {
      clock.advance(1_000);
      const done = await second.waitFor(connection.id, TERMINAL);
      expect(done.status).toBe('ready');
      expect(fixture.callsByEndpoint().Authorize).toBe(1);
    } finally {
      await second.dispose();
    }
  });
});
