// The SSE fan-out figure's proxy: startServer() on SQLite with webhooks on (HMAC), polling every
// 10 min so that only webhooks complete retrievals. It reports its RSS when asked.
import { startServer } from '@flinkit/proxy/node';
import { fromParent, tellParent } from './child';
import {
  BENCH_USER_TOKEN_SECRET,
  createEngineStorage,
  type FlinksTarget,
  UNLIMITED_RATE,
} from './proxy-fixture';

/** What the parent sends to start it. */
export interface SseProxyInput {
  port: number;
  flinks: FlinksTarget;
  webhookSecret: string;
}

const input = await fromParent<SseProxyInput>();
const storage = createEngineStorage();
const server = await startServer({
  port: input.port,
  flinks: {
    apiUrl: input.flinks.apiUrl,
    customerId: input.flinks.customerId,
    secretKey: input.flinks.secretKey,
    apiKey: input.flinks.apiKey,
  },
  connect: { url: input.flinks.connectUrl },
  engineOptions: {
    databaseUrl: storage.databaseUrl,
    encryptionKeys: storage.encryptionKeys,
    pollIntervalMs: 600_000,
  },
  userTokenSecret: BENCH_USER_TOKEN_SECRET,
  webhookSecret: input.webhookSecret,
  rateLimits: UNLIMITED_RATE,
  // The full run opens 10 000 streams, the default per-process limit: room for more.
  sseLimits: { perProcess: 50_000 },
  // Log lines are formatted as in production, then dropped.
  logger: { destination: { write: () => undefined } },
});
let peakRssBytes = process.memoryUsage().rss;
setInterval(() => {
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
}, 100).unref();
tellParent({ type: 'ready', url: server.url });
process.on('message', (message: { type: string }) => {
  if (message.type === 'rss') {
    tellParent({ type: 'rss', rssBytes: process.memoryUsage().rss, peakRssBytes });
  }
});
process.once('SIGTERM', () => {
  void server.close().then(() => {
    storage.remove();
    process.exit(0);
  });
});
