import type { Connection } from '@flinkit/core/wire';
import type { EngineOptions } from '@flinkit/proxy';
import { createEngine } from '@flinkit/proxy/node';
import { type FaultRule, startSimulator } from '@flinkit/simulator';
import { type MemorySample, sampleMemoryAfterGc } from './memory';
import { createEngineStorage } from './proxy-fixture';

/**
 * The upstream faults of the soak, each on ~5 % of calls: 503s, socket resets, truncated JSON,
 * 429 + Retry-After, plus latency spikes. Together about a fifth of upstream calls are hit.
 */
export const SOAK_FAULTS: FaultRule[] = [
  { kind: 'latency', latencyMs: 300, rate: 0.05 },
  { kind: 'status', status: 503, rate: 0.05 },
  { kind: 'reset', rate: 0.05 },
  { kind: 'malformed', rate: 0.05 },
  { kind: 'rate-limit', retryAfterSeconds: 1, rate: 0.05 },
];

/** Outcome of one fault soak. */
export interface FaultSoakFigure {
  retrievals: number;
  ready: number;
  /** Failed retrievals by `error.code` (and FlinksCode). */
  failedByCode: Record<string, number>;
  /** Failed retrievals whose error lacks a code or a message. */
  failedWithoutClearError: number;
  /** Not terminal when the watchdog fired, or `timed_out`. */
  stuck: number;
  /** `ready` connections whose accounts payload could not be read back. */
  readyWithoutPayload: number;
  unhandledRejections: number;
  upstreamCalls: number;
  faultedCalls: number;
  durationMs: number;
  before: MemorySample;
  after: MemorySample;
  /** Of the closed engine, simulator and their options, how many were still reachable at the end. */
  retainedAfterClose: number;
}

/** Heap growth over the baseline that still counts as "back near it" (closed engine and simulator). */
export const HEAP_GROWTH_BOUND_BYTES = 16 * 1024 * 1024;

/**
 * Collects garbage until the closed engine and simulator are gone and the heap is back within
 * {@link HEAP_GROWTH_BOUND_BYTES} of `before`, or `deadlineMs` passes. Sockets close and
 * finalizers run a little after close(): a single sample right away would measure their timing,
 * not a leak. Returns the last sample and how many of `refs` are still reachable.
 */
async function settleMemory(
  refs: ReadonlyArray<WeakRef<object>>,
  before: MemorySample,
  deadlineMs: number,
): Promise<{ after: MemorySample; retained: number }> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = sampleMemoryAfterGc();
    const retained = refs.filter((ref) => ref.deref() !== undefined).length;
    const back = after.heapUsedBytes - before.heapUsedBytes < HEAP_GROWTH_BOUND_BYTES;
    if ((retained === 0 && back) || Date.now() > deadline) return { after, retained };
  }
}

async function runOnce(retrievals: number, watchdogMs: number) {
  const simOptions = { processingMs: 500, faults: SOAK_FAULTS, seed: 7 };
  const sim = await startSimulator(simOptions);
  const storage = createEngineStorage();
  const engineOptions: EngineOptions = {
    flinks: {
      apiUrl: sim.apiUrl,
      customerId: sim.customerId,
      secretKey: sim.secretKey,
      apiKey: sim.apiKey,
      timeoutMs: 2_000,
    },
    databaseUrl: storage.databaseUrl,
    encryptionKeys: storage.encryptionKeys,
    pollIntervalMs: 100,
    pollTimeoutMs: 120_000,
    retryBaseMs: 50,
    maxConcurrentSteps: 32,
  };
  const engine = await createEngine(engineOptions);
  const finals = new Map<string, Connection>();
  let allDone = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const loginId = sim.createLogin('greatday_nomfa');
  engine.start();
  const connections: Array<{ userId: string; id: string }> = [];
  for (let index = 0; index < retrievals; index++) {
    const userId = `soak-${index}`;
    const { connection } = await engine.createConnection({ userId, loginId });
    connections.push({ userId, id: connection.id });
    engine.subscribe(connection.id, (next) => {
      if (next.status !== 'ready' && next.status !== 'failed' && next.status !== 'timed_out')
        return;
      finals.set(next.id, next);
      if (finals.size === retrievals) allDone();
    });
  }
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    done,
    new Promise((resolve) => (watchdog = setTimeout(resolve, watchdogMs))),
  ]);
  clearTimeout(watchdog);
  let readyWithoutPayload = 0;
  for (const { userId, id } of connections) {
    if (finals.get(id)?.status !== 'ready') continue;
    const stored = await engine.getPayload(userId, id);
    if (!Array.isArray(stored?.payload.Accounts)) readyWithoutPayload++;
  }
  await engine.stop();
  const log = sim.requests();
  await sim.close();
  storage.remove();
  // What each one's closures hold (their options live in the scope every timer, listener and
  // socket callback of theirs closes over): reachable after close means something leaked.
  const refs = [engine, engineOptions, sim, simOptions].map((held) => new WeakRef(held));
  return { finals: [...finals.values()], readyWithoutPayload, log, refs };
}

/**
 * N retrievals through one engine while the simulator faults a fifth of upstream calls. Every
 * retrieval must end `ready` or `failed` with a clear code, none stuck, no unhandled rejection,
 * and once the engine and simulator are closed nothing may keep them alive and memory must come
 * back near its baseline.
 */
export async function runFaultSoak(
  retrievals: number,
  watchdogMs = 45_000,
): Promise<FaultSoakFigure> {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    // A small warm-up run loads every module and JIT path, so the baseline is comparable.
    await runOnce(5, watchdogMs);
    const before = sampleMemoryAfterGc();
    const started = Date.now();
    const { finals, readyWithoutPayload, log, refs } = await runOnce(retrievals, watchdogMs);
    const durationMs = Date.now() - started;
    const { after, retained } = await settleMemory(refs, before, 15_000);
    const failedByCode: Record<string, number> = {};
    let failedWithoutClearError = 0;
    for (const connection of finals) {
      if (connection.status !== 'failed') continue;
      const key = `${connection.error?.code ?? 'none'}${connection.error?.flinksCode ? `/${connection.error.flinksCode}` : ''}`;
      failedByCode[key] = (failedByCode[key] ?? 0) + 1;
      if (!connection.error?.code || !connection.error.message) failedWithoutClearError++;
    }
    const terminal = finals.filter((connection) => connection.status !== 'timed_out');
    return {
      retrievals,
      ready: finals.filter((connection) => connection.status === 'ready').length,
      failedByCode,
      failedWithoutClearError,
      stuck: retrievals - terminal.length,
      readyWithoutPayload,
      unhandledRejections: rejections.length,
      upstreamCalls: log.length,
      faultedCalls: log.filter((entry) => entry.fault !== undefined).length,
      durationMs,
      before,
      after,
      retainedAfterClose: retained,
    };
  } finally {
    process.off('unhandledRejection', onRejection);
  }
}
