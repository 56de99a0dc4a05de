// The in-flight figures' proxy process: one engine with N retrievals in flight (or, with
// `create: false`, one more engine on a shared PostgreSQL database). It watches the counts by
// status in the database (no per-connection listener, so the bench adds little to what is
// measured) and reports its own memory and CPU time.
import { createEngine } from '@flinkit/proxy/node';
import { fromParent, tellParent } from './child';
import { createEngineStorage, type FlinksTarget } from './proxy-fixture';

/** What the parent sends to start the run. */
export interface ScaleChildInput {
  flinks: FlinksTarget;
  loginId: string;
  retrievals: number;
  pollIntervalMs: number;
  /** Creates the retrievals (one process of several on PostgreSQL creates them). */
  create: boolean;
  /** Spreads the creations evenly over this long (as customers arrive); 0: all at once. */
  rampMs: number;
  /** The first `count` retrievals link this loginId instead (one whose GetAccountsDetail is held). */
  held?: { count: number; loginId: string };
  /** `postgres://…` shared by several processes; default a fresh SQLite file. */
  databaseUrl?: string;
  /** Base64 of the 32-byte key; processes sharing a database share it. */
  keyBase64?: string;
  maxConcurrentSteps?: number;
}

/** Sent once the engine runs (before any retrieval is created). */
export interface ScaleChildStarted {
  type: 'started';
  baselineRssBytes: number;
}

/** What the child reports when every retrieval is terminal. */
export interface ScaleChildReport {
  type: 'done';
  baselineRssBytes: number;
  peakRssBytes: number;
  /** Most retrievals seen `processing` at once. */
  peakProcessing: number;
  ready: number;
  notReady: number;
  /** CPU time of this process from start to the last retrieval's end. */
  cpuMs: number;
  durationMs: number;
  /** [epoch ms, CPU ms since start] every second, to read the CPU of any window. */
  cpuSamples: Array<[number, number]>;
}

const input = await fromParent<ScaleChildInput>();
const storage = createEngineStorage(input.keyBase64);
const engine = await createEngine({
  flinks: {
    apiUrl: input.flinks.apiUrl,
    customerId: input.flinks.customerId,
    secretKey: input.flinks.secretKey,
    apiKey: input.flinks.apiKey,
  },
  databaseUrl: input.databaseUrl ?? storage.databaseUrl,
  encryptionKeys: storage.encryptionKeys,
  pollIntervalMs: input.pollIntervalMs,
  pollTimeoutMs: 3_600_000,
  ...(input.maxConcurrentSteps ? { maxConcurrentSteps: input.maxConcurrentSteps } : {}),
});
const baselineRssBytes = process.memoryUsage().rss;
let peakRssBytes = baselineRssBytes;
const cpuAtStart = process.cpuUsage();
const cpuSamples: Array<[number, number]> = [];
let ticks = 0;
const sampler = setInterval(() => {
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
  if (ticks++ % 10 === 0) {
    const cpu = process.cpuUsage(cpuAtStart);
    cpuSamples.push([Date.now(), (cpu.user + cpu.system) / 1000]);
  }
}, 100);
const started = Date.now();
engine.start();
const hello: ScaleChildStarted = { type: 'started', baselineRssBytes };
tellParent(hello);

if (input.create) {
  // In slices every 100 ms (all at once without a ramp), 200 creations in flight at most.
  const slices = Math.max(1, Math.round(input.rampMs / 100));
  for (let slice = 0; slice < slices; slice++) {
    const due = started + (slice * input.rampMs) / slices;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    const from = Math.floor((slice * input.retrievals) / slices);
    const to = Math.floor(((slice + 1) * input.retrievals) / slices);
    for (let index = from; index < to; index += 200) {
      const batch = [];
      for (let offset = index; offset < Math.min(to, index + 200); offset++) {
        batch.push(
          engine.createConnection({
            userId: `user-${offset}`,
            loginId: input.held && offset < input.held.count ? input.held.loginId : input.loginId,
            tag: `t${offset}`,
          }),
        );
      }
      await Promise.all(batch);
    }
  }
}

let peakProcessing = 0;
let counts: Record<string, number> = {};
for (;;) {
  counts = await engine.countByStatus();
  peakProcessing = Math.max(peakProcessing, counts.processing ?? 0);
  const terminal = (counts.ready ?? 0) + (counts.failed ?? 0) + (counts.timed_out ?? 0);
  if (terminal >= input.retrievals) break;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}
const durationMs = Date.now() - started;
const cpu = process.cpuUsage(cpuAtStart);
clearInterval(sampler);
await engine.stop();
const report: ScaleChildReport = {
  type: 'done',
  baselineRssBytes,
  peakRssBytes,
  peakProcessing,
  ready: counts.ready ?? 0,
  notReady: input.retrievals - (counts.ready ?? 0),
  cpuMs: (cpu.user + cpu.system) / 1000,
  durationMs,
  cpuSamples,
};
tellParent(report);
storage.remove();
process.exit(0);
