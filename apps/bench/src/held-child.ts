// The held figure's proxy process: one engine on SQLite links N retrievals at once while the
// simulator (in the parent) holds each GetAccountsDetail; it reports when every one is ready.
import { createEngine } from '@flinkit/proxy/node';
import { fromParent, tellParent } from './child';
import { createEngineStorage, type FlinksTarget } from './proxy-fixture';

/** What the parent sends to start the run. */
export interface HeldChildInput {
  flinks: FlinksTarget;
  loginId: string;
  retrievals: number;
  maxConcurrentSteps: number;
}

/** What the child reports once every retrieval is terminal. */
export interface HeldChildReport {
  type: 'done';
  ready: number;
  notReady: number;
  /** First createConnection → last terminal status. */
  durationMs: number;
  /** Most GetAccountsDetail calls held outside the step limit at once, as the engine saw it. */
  peakProcessing: number;
}

const input = await fromParent<HeldChildInput>();
const storage = createEngineStorage();
const engine = await createEngine({
  flinks: {
    apiUrl: input.flinks.apiUrl,
    customerId: input.flinks.customerId,
    secretKey: input.flinks.secretKey,
    apiKey: input.flinks.apiKey,
  },
  databaseUrl: storage.databaseUrl,
  encryptionKeys: storage.encryptionKeys,
  pollIntervalMs: 1_000,
  pollTimeoutMs: 3_600_000,
  maxConcurrentSteps: input.maxConcurrentSteps,
});
engine.start();
let terminal = 0;
let ready = 0;
let peakProcessing = 0;
const processing = new Set<string>();
let finish = () => {};
const allDone = new Promise<void>((resolve) => {
  finish = resolve;
});
const started = Date.now();
const links = [];
for (let index = 0; index < input.retrievals; index++) {
  links.push(engine.createConnection({ userId: `held-${index}`, loginId: input.loginId }));
}
for (const { connection } of await Promise.all(links)) {
  engine.subscribe(connection.id, (next) => {
    if (next.status === 'processing') {
      processing.add(next.id);
      peakProcessing = Math.max(peakProcessing, processing.size);
      return;
    }
    if (next.status !== 'ready' && next.status !== 'failed' && next.status !== 'timed_out') return;
    processing.delete(next.id);
    terminal++;
    if (next.status === 'ready') ready++;
    if (terminal === input.retrievals) finish();
  });
}
await allDone;
const report: HeldChildReport = {
  type: 'done',
  ready,
  notReady: input.retrievals - ready,
  durationMs: Date.now() - started,
  peakProcessing,
};
await engine.stop();
tellParent(report);
storage.remove();
process.exit(0);
