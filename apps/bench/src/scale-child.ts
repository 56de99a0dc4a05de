// The scale figure's proxy process: one engine on SQLite with N retrievals in flight. It reports
// its own RSS and the poll schedule drift (fetch start − announced nextPollAt) to the parent.
import { createEngine } from '@flinkit/proxy/node';
import { fromParent, tellParent } from './child';
import { createEngineStorage, type FlinksTarget } from './proxy-fixture';
import { percentile } from './stats';

/** What the parent sends to start the run. */
export interface ScaleChildInput {
  flinks: FlinksTarget;
  loginId: string;
  retrievals: number;
  pollIntervalMs: number;
  maxConcurrentSteps?: number;
}

/** What the child reports when every retrieval is terminal. */
export interface ScaleChildReport {
  type: 'done';
  baselineRssBytes: number;
  peakRssBytes: number;
  peakProcessing: number;
  ready: number;
  notReady: number;
  driftP50Ms: number;
  driftP99Ms: number;
  driftMaxMs: number;
  polls: number;
  durationMs: number;
}

const input = await fromParent<ScaleChildInput>();
const storage = createEngineStorage();
const dataCalls = new Map<string, number[]>();
const requestOfTag = new Map<string, string>();

// Times each upstream data call where it starts, per RequestId; learns tag → RequestId.
const timedFetch: typeof fetch = async (resource, init) => {
  const url = String(resource instanceof Request ? resource.url : resource);
  const started = Date.now();
  const body = typeof init?.body === 'string' ? init.body : '';
  let requestId: string | undefined;
  if (url.includes('/GetAccountsDetailAsync/')) requestId = url.slice(url.lastIndexOf('/') + 1);
  else if (url.endsWith('/GetAccountsDetail')) requestId = JSON.parse(body).RequestId;
  if (requestId !== undefined) {
    const times = dataCalls.get(requestId) ?? [];
    times.push(started);
    dataCalls.set(requestId, times);
  }
  const response = await fetch(resource, init);
  if (url.endsWith('/Authorize') && response.status === 200) {
    const tag = JSON.parse(body).Tag as string;
    const answer = (await response.clone().json()) as { RequestId: string };
    requestOfTag.set(tag, answer.RequestId);
  }
  return response;
};

const engine = await createEngine({
  flinks: {
    apiUrl: input.flinks.apiUrl,
    customerId: input.flinks.customerId,
    secretKey: input.flinks.secretKey,
    apiKey: input.flinks.apiKey,
  },
  databaseUrl: storage.databaseUrl,
  encryptionKeys: storage.encryptionKeys,
  pollIntervalMs: input.pollIntervalMs,
  pollTimeoutMs: 3_600_000,
  ...(input.maxConcurrentSteps ? { maxConcurrentSteps: input.maxConcurrentSteps } : {}),
  fetch: timedFetch,
});
const baselineRssBytes = process.memoryUsage().rss;
let peakRssBytes = baselineRssBytes;
const sampler = setInterval(() => {
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
}, 100);

const started = Date.now();
// Per connection: its tag and, by attempt number, when the engine announced the next poll.
const expected = new Map<string, { tag: string; nextPollAt: number[] }>();
const processing = new Set<string>();
let peakProcessing = 0;
let terminal = 0;
let ready = 0;
let finish = () => {};
const allDone = new Promise<void>((resolve) => {
  finish = resolve;
});
engine.start();
for (let index = 0; index < input.retrievals; index += 200) {
  const batch = [];
  for (let offset = index; offset < Math.min(input.retrievals, index + 200); offset++) {
    batch.push(
      engine.createConnection({
        userId: `user-${offset}`,
        loginId: input.loginId,
        tag: `t${offset}`,
      }),
    );
  }
  for (const { connection } of await Promise.all(batch)) {
    const record = { tag: connection.tag as string, nextPollAt: [] as number[] };
    expected.set(connection.id, record);
    engine.subscribe(connection.id, (next) => {
      if (next.status === 'processing') {
        processing.add(next.id);
        peakProcessing = Math.max(peakProcessing, processing.size);
        if (next.nextPollAt) record.nextPollAt[next.attempt] = Date.parse(next.nextPollAt);
      } else if (
        next.status === 'ready' ||
        next.status === 'failed' ||
        next.status === 'timed_out'
      ) {
        processing.delete(next.id);
        terminal++;
        if (next.status === 'ready') ready++;
        if (terminal === input.retrievals) finish();
      }
    });
  }
}
await allDone;
const durationMs = Date.now() - started;
clearInterval(sampler);
await engine.stop();

const drifts: number[] = [];
for (const { tag, nextPollAt } of expected.values()) {
  const calls = dataCalls.get(requestOfTag.get(tag) ?? '') ?? [];
  nextPollAt.forEach((due, attempt) => {
    // After `attempt` data calls, the next one (index `attempt`) was due at `due`.
    const actual = calls[attempt];
    if (actual !== undefined) drifts.push(actual - due);
  });
}
const report: ScaleChildReport = {
  type: 'done',
  baselineRssBytes,
  peakRssBytes,
  peakProcessing,
  ready,
  notReady: input.retrievals - ready,
  driftP50Ms: percentile(drifts, 50),
  driftP99Ms: percentile(drifts, 99),
  driftMaxMs: drifts.length ? Math.max(...drifts) : Number.NaN,
  polls: drifts.length,
  durationMs,
};
tellParent(report);
storage.remove();
process.exit(0);
