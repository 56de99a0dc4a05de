import { createServer } from 'node:net';
import type { Connection } from '@flinkit/core/wire';
import { signUserToken, startServer } from '@flinkit/proxy';
import { startSimulator } from '@flinkit/simulator';
import {
  BENCH_USER_TOKEN_SECRET,
  createEngineStorage,
  flinksTargetOf,
  UNLIMITED_RATE,
} from './proxy-fixture';
import { openStatusStream, type StatusStream } from './sse-client';
import { percentile } from './stats';

/** Webhook → SSE latency over `retrievals` completions on one proxy instance. */
export interface DeliveryFigure {
  retrievals: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const WEBHOOK_SECRET = 'flinkit-bench-webhook-secret';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * One process: the simulator (webhooks on, processing 1 h so only the webhook completes), the
 * proxy on a real socket (SQLite engine, poll interval 10 min, HMAC-checked webhooks), and one SSE
 * client per connection. Webhooks go one at a time; the latency is from the moment the
 * simulator's `fetch` of the webhook starts to the moment the `ready` event's bytes are read.
 */
export async function measureDelivery(retrievals: number): Promise<DeliveryFigure> {
  const port = await freePort();
  const webhookUrl = `http://127.0.0.1:${port}/v1/webhooks/flinks`;
  const sim = await startSimulator({
    processingMs: 3_600_000,
    webhook: { url: webhookUrl, secret: WEBHOOK_SECRET, attempts: 1 },
  });
  const storage = createEngineStorage();
  const target = flinksTargetOf(sim);
  const server = await startServer({
    port,
    flinks: {
      apiUrl: target.apiUrl,
      customerId: target.customerId,
      secretKey: target.secretKey,
      apiKey: target.apiKey,
    },
    connect: { url: target.connectUrl },
    engineOptions: {
      databaseUrl: storage.databaseUrl,
      encryptionKeys: storage.encryptionKeys,
      pollIntervalMs: 600_000,
    },
    userTokenSecret: BENCH_USER_TOKEN_SECRET,
    webhookSecret: WEBHOOK_SECRET,
    rateLimits: UNLIMITED_RATE,
    // Log lines are formatted as in production, then dropped (they would flood the table).
    logger: { destination: { write: () => undefined } },
  });
  const originalFetch = globalThis.fetch;
  const streams: StatusStream[] = [];
  try {
    const loginId = sim.createLogin('greatday_nomfa');
    const processing = new Set<string>();
    let allProcessing = () => {};
    const everyoneProcessing = new Promise<void>((resolve) => (allProcessing = resolve));
    let onReady: ((receivedAt: number) => void) | undefined;
    const onStatus = (connection: Connection, receivedAt: number) => {
      if (connection.status === 'processing') {
        processing.add(connection.id);
        if (processing.size === retrievals) allProcessing();
      } else if (connection.status === 'ready') onReady?.(receivedAt);
    };
    for (let start = 0; start < retrievals; start += 50) {
      const batch = [];
      for (let index = start; index < Math.min(retrievals, start + 50); index++) {
        batch.push(
          (async () => {
            const headers = {
              authorization: `Bearer ${signUserToken({ userId: `user-${index}`, secret: BENCH_USER_TOKEN_SECRET, ttlSeconds: 3600 })}`,
            };
            const created = await fetch(`${server.url}/v1/connections`, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify({ loginId, institution: 'FlinksCapital' }),
            });
            const { connection } = (await created.json()) as { connection: Connection };
            const events = `${server.url}/v1/connections/${connection.id}/events`;
            streams.push(await openStatusStream(events, headers, onStatus));
          })(),
        );
      }
      await Promise.all(batch);
    }
    await everyoneProcessing;
    const requestIds = sim
      .requests()
      .filter((entry) => entry.endpoint === 'Authorize' && entry.status === 200)
      .map((entry) => entry.requestId as string);
    let sentAt = 0;
    globalThis.fetch = (resource, init) => {
      if (String(resource) === webhookUrl) sentAt = performance.now();
      return originalFetch(resource, init);
    };
    const latencies: number[] = [];
    for (const requestId of requestIds) {
      const ready = new Promise<number>((resolve) => (onReady = resolve));
      const [, receivedAt] = await Promise.all([sim.sendWebhook(requestId), ready]);
      latencies.push(receivedAt - sentAt);
    }
    return {
      retrievals: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: Math.max(...latencies),
    };
  } finally {
    globalThis.fetch = originalFetch;
    for (const stream of streams) stream.close();
    await server.close();
    await sim.close();
    storage.remove();
  }
}
