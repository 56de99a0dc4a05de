import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '@flinkit/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookOutcome } from '../engine/types';
import { openStore } from '../store/open-store';
import type { CompleteInput, Store } from '../store/store';
import {
  type EngineFixture,
  hasStatus,
  link,
  startEngineFixture,
  startWebhookSink,
  type WebhookSink,
  waitUntil,
} from './engine-fixture';
import { startTestPostgres, type TestPostgres } from './postgres';

// Completion happens once (apps/docs/architecture.md#retrieval-engine) whether the poll or the
// webhook gets there first. Left alone, the poll nearly always wins and the webhook stops at its
// own "already done" check, so the one decision point (the conditional update of completeRetrieval)
// never sees a race. Here a barrier holds every completeRetrieval call of a retrieval until the
// poll and both webhooks have reached it, then lets them run together: the database alone must pick
// one winner.
const RETRIEVALS = 24;
/** Long enough that each retrieval is polled once while its webhooks wait at the barrier. */
const POLL_INTERVAL_MS = 400;
/** One poll and two webhooks per retrieval. */
const PARTIES = 3;
const T_OUT = 60_000;

let pgServer: TestPostgres;
let fixture: EngineFixture | undefined;
let sink: WebhookSink | undefined;
let store: Store | undefined;
let dir: string | undefined;

beforeAll(async () => {
  pgServer = await startTestPostgres();
}, T_OUT);
afterAll(() => pgServer?.stop(), 30_000);
afterEach(async () => {
  await fixture?.dispose();
  await store?.close();
  await sink?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  fixture = sink = store = dir = undefined;
});

/** A store whose completeRetrieval waits, per retrieval, until `PARTIES` callers are there. */
function withCompletionBarrier(inner: Store) {
  const waiting = new Map<string, { count: number; open: Promise<void>; release(): void }>();
  const calls = new Map<string, number>();
  const wins = new Map<string, number>();
  const arrive = (retrievalId: string) => {
    let gate = waiting.get(retrievalId);
    if (!gate) {
      let release = () => {};
      const open = new Promise<void>((resolve) => (release = resolve));
      gate = { count: 0, open, release };
      waiting.set(retrievalId, gate);
    }
    gate.count += 1;
    if (gate.count === PARTIES) gate.release();
    const deadline = new Promise<never>((_, reject) =>
      setTimeout(
        () =>
          reject(
            new Error(`only ${gate.count} of ${PARTIES} reached the barrier of ${retrievalId}`),
          ),
        20_000,
      ).unref(),
    );
    return Promise.race([gate.open, deadline]);
  };
  const wrapped: Store = {
    ...inner,
    async completeRetrieval(input: CompleteInput) {
      await arrive(input.retrievalId);
      const result = await inner.completeRetrieval(input);
      calls.set(input.retrievalId, (calls.get(input.retrievalId) ?? 0) + 1);
      if (result) wins.set(input.retrievalId, (wins.get(input.retrievalId) ?? 0) + 1);
      return result;
    },
  };
  return { store: wrapped, calls, wins };
}

function runRace(name: string, databaseUrl: () => Promise<string>) {
  it(
    `completes each of ${RETRIEVALS} retrievals once, its poll and two webhooks completing it together (${name})`,
    async () => {
      const raw = await openStore(await databaseUrl());
      store = raw;
      const barrier = withCompletionBarrier(raw);
      const hooks = await startWebhookSink();
      sink = hooks;
      const f = await startEngineFixture(
        { clock: createManualClock(), processingMs: 1_000, webhook: { url: hooks.url } },
        { store: barrier.store, pollIntervalMs: POLL_INTERVAL_MS },
      );
      fixture = f;
      const linked = await Promise.all(
        Array.from({ length: RETRIEVALS }, (_, i) => link(f, 'greatday_nomfa', `user-${i}`)),
      );
      const races = await Promise.all(
        linked.map(async ({ connection }) => {
          await f.waitFor(connection.id, hasStatus('processing'));
          const requestId = (await raw.getRetrieval(connection.retrievalId))?.requestId;
          if (typeof requestId !== 'string') throw new Error('processing without a RequestId');
          // Upstream is done: the next poll gets the accounts, and Flinks sends the webhook.
          f.sim.completeRequest(requestId);
          expect(await f.sim.sendWebhook(requestId)).toMatchObject({ delivered: true });
          const body = hooks.bodies.find(
            (candidate) => (candidate as { RequestId?: unknown }).RequestId === requestId,
          );
          expect(body).toBeDefined();
          const webhooks: WebhookOutcome[] = await Promise.all([
            f.engine.ingestWebhook(body),
            f.engine.ingestWebhook(body),
          ]);
          await f.waitFor(connection.id, hasStatus('ready'));
          return { connection, webhooks };
        }),
      );
      await waitUntil(() => f.deliveries.length >= RETRIEVALS, 'a delivery per retrieval');
      await f.engine.stop(); // drains the outbox worker: a second delivery would be here now

      let webhookWins = 0;
      for (const { connection, webhooks } of races) {
        const id = connection.retrievalId;
        // The race was real: all three reached completeRetrieval, and one of them won.
        expect(barrier.calls.get(id), id).toBe(PARTIES);
        expect(barrier.wins.get(id), id).toBe(1);
        expect(
          webhooks.every((outcome) => outcome === 'completed' || outcome === 'duplicate'),
        ).toBe(true);
        const webhookWon = webhooks.filter((outcome) => outcome === 'completed').length;
        expect(webhookWon).toBeLessThanOrEqual(1);
        webhookWins += webhookWon;
        const readies = f.events.filter(
          (event) => event.id === connection.id && event.status === 'ready',
        );
        expect(readies, id).toHaveLength(1);
        expect(
          f.deliveries.filter((delivery) => delivery.retrievalId === id),
          id,
        ).toHaveLength(1);
      }
      expect(f.deliveries).toHaveLength(RETRIEVALS);
      console.log(
        `completion race (${name}): ${RETRIEVALS} retrievals, ${webhookWins} won by a webhook, ` +
          `${RETRIEVALS - webhookWins} by the poll; one completion and one delivery each`,
      );
    },
    T_OUT,
  );
}

describe('webhook and poll completing one retrieval at the same moment', () => {
  runRace('SQLite', async () => {
    dir = mkdtempSync(join(tmpdir(), 'flinkit-race-'));
    return `sqlite:${join(dir, 'flinkit.db')}`;
  });
  runRace('PostgreSQL', () => pgServer.createDatabase());
});
