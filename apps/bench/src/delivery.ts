import type { Connection } from '@flinkit/core/wire';
import { type RunningServer, startServer } from '@flinkit/proxy/node';
import { signUserToken } from '@flinkit/proxy/webhooks';
import { startSimulator } from '@flinkit/simulator';
import { freePort } from '@flinkit/test-postgres';
import {
  BENCH_USER_TOKEN_SECRET,
  createEngineStorage,
  type EngineStorage,
  type FlinksTarget,
  flinksTargetOf,
  UNLIMITED_RATE,
} from './proxy-fixture';
import { openStatusStream, type StatusStream } from './sse-client';
import { maximum, percentile } from './stats';

/** What {@link measureDelivery} measures. */
export interface DeliveryOptions {
  retrievals: number;
  /**
   * Runs two proxy instances on this `postgres://` database: the simulator's webhooks go to
   * instance B, the SSE clients listen on instance A. Without it, one instance on a temp SQLite file.
   */
  postgresUrl?: string;
  /** Longest wait for one `ready` event before the run fails; default 10 000 ms. */
  readyTimeoutMs?: number;
}

/** Webhook → SSE latency over `retrievals` completions. */
export interface DeliveryFigure {
  retrievals: number;
  /** 1 (SQLite), or 2 on PostgreSQL (webhook on B, SSE on A). */
  instances: 1 | 2;
  /** Connections whose SSE client received `ready`, each counted once. */
  readyReceived: number;
  /** `ready` events received again for a connection that already had one (should be 0). */
  repeatedReady: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const WEBHOOK_SECRET = 'flinkit-bench-webhook-secret';

/** One proxy on `port` with the bench's settings: poll every 10 min, HMAC-checked webhooks. */
function startProxy(
  port: number,
  target: FlinksTarget,
  databaseUrl: string,
  storage: EngineStorage,
): Promise<RunningServer> {
  return startServer({
    port,
    flinks: {
      apiUrl: target.apiUrl,
      customerId: target.customerId,
      secretKey: target.secretKey,
      apiKey: target.apiKey,
    },
    connect: { url: target.connectUrl },
    engineOptions: {
      databaseUrl,
      encryptionKeys: storage.encryptionKeys,
      pollIntervalMs: 600_000,
    },
    userTokenSecret: BENCH_USER_TOKEN_SECRET,
    webhookSecret: WEBHOOK_SECRET,
    rateLimits: UNLIMITED_RATE,
    // Log lines are formatted as in production, then dropped (they would flood the table).
    logger: { destination: { write: () => undefined } },
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One process: the simulator (webhooks on, processing 1 h so only the webhook completes), the
 * proxy instance(s) on real sockets, and one SSE client per connection. Webhooks go one at a
 * time; the latency is from the moment the simulator's `fetch` of the webhook starts to the
 * moment the `ready` event's bytes are read. With `postgresUrl`, the webhook reaches instance B
 * and the event reaches the client through instance A (LISTEN/NOTIFY, then A re-reads the row).
 */
export async function measureDelivery(options: DeliveryOptions): Promise<DeliveryFigure> {
  const { retrievals, postgresUrl, readyTimeoutMs = 10_000 } = options;
  const ports = postgresUrl ? [await freePort(), await freePort()] : [await freePort()];
  const webhookPort = ports[ports.length - 1] as number;
  const webhookUrl = `http://127.0.0.1:${webhookPort}/v1/webhooks/flinks`;
  const sim = await startSimulator({
    processingMs: 3_600_000,
    webhook: { url: webhookUrl, secret: WEBHOOK_SECRET, attempts: 1 },
  });
  const storage = createEngineStorage();
  const target = flinksTargetOf(sim);
  const servers: RunningServer[] = [];
  const originalFetch = globalThis.fetch;
  const streams: StatusStream[] = [];
  try {
    // One after the other: the first one migrates the empty database.
    for (const port of ports) {
      servers.push(await startProxy(port, target, postgresUrl ?? storage.databaseUrl, storage));
    }
    const listening = servers[0] as RunningServer;
    const loginId = sim.createLogin('greatday_nomfa');
    const processing = new Set<string>();
    const ready = new Set<string>();
    let repeatedReady = 0;
    let allProcessing = () => {};
    const everyoneProcessing = new Promise<void>((resolve) => (allProcessing = resolve));
    let onReady: ((receivedAt: number) => void) | undefined;
    const onStatus = (connection: Connection, receivedAt: number) => {
      if (connection.status === 'processing') {
        processing.add(connection.id);
        if (processing.size === retrievals) allProcessing();
      } else if (connection.status === 'ready') {
        if (ready.has(connection.id)) {
          repeatedReady += 1;
          return;
        }
        ready.add(connection.id);
        onReady?.(receivedAt);
      }
    };
    for (let start = 0; start < retrievals; start += 50) {
      const batch = [];
      for (let index = start; index < Math.min(retrievals, start + 50); index++) {
        batch.push(
          (async () => {
            const headers = {
              authorization: `Bearer ${signUserToken({ userId: `user-${index}`, secret: BENCH_USER_TOKEN_SECRET, ttlSeconds: 3600 })}`,
            };
            const created = await fetch(`${listening.url}/v1/connections`, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify({ loginId, institution: 'FlinksCapital' }),
            });
            const { connection } = (await created.json()) as { connection: Connection };
            const events = `${listening.url}/v1/connections/${connection.id}/events`;
            streams.push(await openStatusStream(events, headers, onStatus));
          })(),
        );
      }
      await Promise.all(batch);
    }
    await withTimeout(
      everyoneProcessing,
      Math.max(60_000, retrievals * 100),
      `only ${processing.size} of ${retrievals} connections reached processing`,
    );
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
      const received = new Promise<number>((resolve) => (onReady = resolve));
      const [, receivedAt] = await withTimeout(
        Promise.all([sim.sendWebhook(requestId), received]),
        readyTimeoutMs,
        `no ready event within ${readyTimeoutMs} ms of the webhook for ${requestId} (${latencies.length} received before)`,
      );
      latencies.push(receivedAt - sentAt);
    }
    return {
      retrievals: latencies.length,
      instances: postgresUrl ? 2 : 1,
      readyReceived: ready.size,
      repeatedReady,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: maximum(latencies),
    };
  } finally {
    globalThis.fetch = originalFetch;
    for (const stream of streams) stream.close();
    for (const server of servers) await server.close();
    await sim.close();
    storage.remove();
  }
}
