// A retrieval engine in its own process, for the crash test (`engine-crash.test.ts`).
// Reads its settings from FLINKIT_CRASH_CHILD (JSON) and prints one JSON line per status event.
import { createEngine } from '../engine/engine';

interface ChildConfig {
  apiUrl: string;
  customerId: string;
  secretKey: string;
  apiKey: string;
  dbPath: string;
  keyBase64: string;
  leaseMs: number;
  pollIntervalMs: number;
  connect?: { userId: string; loginId: string };
  watch?: string;
}

const config = JSON.parse(process.env.FLINKIT_CRASH_CHILD ?? '{}') as ChildConfig;
const engine = await createEngine({
  flinks: {
    apiUrl: config.apiUrl,
    customerId: config.customerId,
    secretKey: config.secretKey,
    apiKey: config.apiKey,
  },
  databaseUrl: `sqlite:${config.dbPath}`,
  encryptionKeys: [{ id: 'crash', key: new Uint8Array(Buffer.from(config.keyBase64, 'base64')) }],
  leaseMs: config.leaseMs,
  pollIntervalMs: config.pollIntervalMs,
  pollTimeoutMs: 60_000,
});
const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const watch = (connectionId: string) =>
  engine.subscribe(connectionId, (connection) => {
    print({ type: 'status', connection });
    if (['ready', 'failed', 'timed_out'].includes(connection.status)) {
      void engine.stop().then(() => process.exit(0));
    }
  });

if (config.watch) watch(config.watch);
engine.start();
if (config.connect) {
  const { connection } = await engine.createConnection(config.connect);
  watch(connection.id);
  print({ type: 'connected', connection });
}
print({ type: 'started', pid: process.pid });
