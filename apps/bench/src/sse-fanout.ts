import { freePort } from '@flinkit/test-postgres';
import { type BenchChild, startBuiltChild, startChild } from './child';
import { startSimulatorChild } from './scale';
import type { SseClientsInput } from './sse-clients-child';
import type { SseProxyInput } from './sse-proxy-child';
import { maximum, percentile } from './stats';

/** Webhook → SSE latency and proxy memory with `streams` status streams open. */
export interface FanoutFigure {
  streams: number;
  /** Proxy RSS before anything, with the connections linked, then with every stream open. */
  rssBeforeBytes: number;
  rssLinkedBytes: number;
  rssOpenBytes: number;
  peakRssBytes: number;
  webhooks: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const WEBHOOK_SECRET = 'flinkit-bench-webhook-secret';

interface Rss {
  type: 'rss';
  rssBytes: number;
  peakRssBytes: number;
}

/**
 * Three processes besides this one: the simulator (webhooks on, processing 1 h), the proxy
 * (built, SQLite, heartbeats at the default 15 s) and the clients, which link `streams`
 * connections and keep one status stream open for each. Then `webhooks` webhooks go one at a
 * time; each latency runs from the moment the simulator's webhook POST starts to the moment
 * the clients read the `ready` event (epoch clocks of one machine).
 */
export async function measureFanout(streams: number, webhooks: number): Promise<FanoutFigure> {
  const port = await freePort();
  const { child: sim, ready } = await startSimulatorChild(3_600_000, {
    webhook: { url: `http://127.0.0.1:${port}/v1/webhooks/flinks`, secret: WEBHOOK_SECRET },
  });
  const children: BenchChild[] = [sim];
  try {
    const proxy = await startBuiltChild('sse-proxy-child.ts');
    children.push(proxy);
    const proxyInput: SseProxyInput = { port, flinks: ready.target, webhookSecret: WEBHOOK_SECRET };
    proxy.send(proxyInput);
    const { url } = await proxy.next<{ type: string; url: string }>((m) => m.type === 'ready');
    const rss = async () => {
      proxy.send({ type: 'rss' });
      return proxy.next<Rss>((message) => message.type === 'rss');
    };
    const before = await rss();
    const clients = startChild('sse-clients-child.ts');
    children.push(clients);
    const clientsInput: SseClientsInput = {
      url,
      loginId: ready.loginIds[0] as string,
      streams,
    };
    clients.send(clientsInput);
    await clients.next<{ type: string }>((message) => message.type === 'linked');
    const linked = await rss();
    clients.send({ type: 'open-streams' });
    await clients.next<{ type: string }>((message) => message.type === 'open');
    const open = await rss();
    sim.send({ type: 'requestIds' });
    const { requestIds } = await sim.next<{ type: string; requestIds: string[] }>(
      (message) => message.type === 'requestIds',
    );
    const latencies: number[] = [];
    for (const requestId of requestIds.slice(0, webhooks)) {
      const received = clients.next<{ type: string; at: number }>((m) => m.type === 'ready');
      sim.send({ type: 'webhook', requestId });
      const [sent, got] = await Promise.all([
        sim.next<{ type: string; at: number }>((message) => message.type === 'webhook-sent'),
        withTimeout(
          received,
          10_000,
          `no ready event within 10 s of webhook ${latencies.length + 1}`,
        ),
      ]);
      latencies.push(got.at - sent.at);
    }
    const after = await rss();
    return {
      streams,
      rssBeforeBytes: before.rssBytes,
      rssLinkedBytes: linked.rssBytes,
      rssOpenBytes: open.rssBytes,
      peakRssBytes: after.peakRssBytes,
      webhooks: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: maximum(latencies),
    };
  } finally {
    for (const child of children.reverse()) {
      child.process.kill('SIGTERM');
      await child.end(5_000);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
