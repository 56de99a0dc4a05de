import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '@flinkit/simulator';
import { type BenchChild, startChild } from './child';
import type { EngineChildInput } from './engine-child';
import { createEngineStorage, flinksTargetOf } from './proxy-fixture';

/** Outcome of one restart soak. */
export interface RestartSoakFigure {
  kills: number;
  retrievals: number;
  /** Connections never delivered. */
  lost: number;
  /** Retrievals with more than one distinct delivery id, or connections with more than one retrieval. */
  completedTwice: number;
  /** The same delivery handed over again after a kill (at-least-once; same id). */
  redeliveries: number;
  deliveries: number;
  /** Authorize calls beyond one per retrieval (a kill between Authorize and its write). */
  extraAuthorizes: number;
  durationMs: number;
}

/** A small seeded PRNG (mulberry32), so the kill moments repeat from run to run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The engine in a child process on one SQLite file, `kill -9`ed `kills` times at seeded random
 * moments while `retrievals` run, restarted each time. The simulator keeps every RequestId
 * pending and this process completes them a few at a time during each life, so kills land
 * during authorizes, polls, completions and deliveries alike.
 */
export async function runRestartSoak(
  kills: number,
  retrievals: number,
  seed = 42,
): Promise<RestartSoakFigure> {
  const random = seeded(seed);
  const sim = await startSimulator({ processingMs: 3_600_000 });
  const storage = createEngineStorage();
  const deliveriesFile = join(storage.dir, 'deliveries.jsonl');
  const base: EngineChildInput = {
    flinks: flinksTargetOf(sim),
    databaseUrl: storage.databaseUrl,
    keyBase64: randomBytes(32).toString('base64'),
    deliveriesFile,
  };
  const completed = new Set<string>();
  const completeSome = (count: number) => {
    const live = sim
      .requests()
      .filter((entry) => entry.endpoint === 'Authorize' && entry.status === 200)
      .map((entry) => entry.requestId as string)
      .filter((requestId) => !completed.has(requestId));
    for (const requestId of live.slice(0, count)) {
      completed.add(requestId);
      try {
        sim.completeRequest(requestId);
      } catch {
        // A RequestId abandoned by a re-authorize may be gone: nothing to complete.
      }
    }
  };
  const started = Date.now();
  let child: BenchChild | undefined;
  try {
    const life = async (connect?: EngineChildInput['connect']) => {
      child = startChild('engine-child.ts');
      child.send(connect ? { ...base, connect } : base);
      await child.next<{ type: string }>((message) => message.type === 'ready');
    };
    const userIds = Array.from({ length: retrievals }, (_, index) => `restart-${index}`);
    await life({ loginId: sim.createLogin('greatday_nomfa'), userIds });
    const perLife = Math.ceil(retrievals / (kills + 1));
    for (let kill = 0; kill < kills; kill++) {
      const lifeMs = 200 + random() * 1_200;
      const completeAt = random() * lifeMs;
      await sleep(completeAt);
      completeSome(perLife);
      await sleep(lifeMs - completeAt);
      await child?.kill();
      await life();
    }
    // Last life: complete everything still pending and wait for every delivery.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      completeSome(retrievals);
      if (readDeliveries(deliveriesFile).connections.size >= retrievals) break;
      await sleep(100);
    }
    await sleep(500); // a late duplicate would show up here
    child?.process.kill('SIGTERM');
    await child?.exited;
    const { lines, connections } = readDeliveries(deliveriesFile);
    const deliveryIdsByRetrieval = new Map<string, Set<string>>();
    for (const line of lines) {
      const ids = deliveryIdsByRetrieval.get(line.retrievalId) ?? new Set<string>();
      ids.add(line.deliveryId);
      deliveryIdsByRetrieval.set(line.retrievalId, ids);
    }
    const twiceByRetrieval = [...deliveryIdsByRetrieval.values()].filter(
      (ids) => ids.size > 1,
    ).length;
    const twiceByConnection = [...connections.values()].filter((ids) => ids.size > 1).length;
    const authorizes = sim
      .requests()
      .filter((entry) => entry.endpoint === 'Authorize' && entry.status === 200).length;
    return {
      kills,
      retrievals,
      lost: retrievals - connections.size,
      completedTwice: twiceByRetrieval + twiceByConnection,
      redeliveries: lines.length - new Set(lines.map((line) => line.deliveryId)).size,
      deliveries: lines.length,
      extraAuthorizes: authorizes - retrievals,
      durationMs: Date.now() - started,
    };
  } finally {
    await child?.kill();
    await sim.close();
    storage.remove();
  }
}

interface DeliveryLine {
  deliveryId: string;
  retrievalId: string;
  connectionId: string;
}

function readDeliveries(file: string) {
  const lines: DeliveryLine[] = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        // A kill -9 mid-append can leave a partial last line; it is not a delivery.
        .filter((line) => line.endsWith('}'))
        .map((line) => JSON.parse(line) as DeliveryLine)
    : [];
  const connections = new Map<string, Set<string>>();
  for (const line of lines) {
    const retrievalIds = connections.get(line.connectionId) ?? new Set<string>();
    retrievalIds.add(line.retrievalId);
    connections.set(line.connectionId, retrievalIds);
  }
  return { lines, connections };
}
