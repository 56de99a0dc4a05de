import { startSimulator } from '@flinkit/simulator';
import autocannon from 'autocannon';
import { type BenchChild, startBuiltChild } from './child';
import { flinksTargetOf } from './proxy-fixture';

/** Options of {@link measureThroughput}; the same load goes to both servers. */
export interface ThroughputOptions {
  connections: number;
  durationSeconds: number;
  /** Alternating bare/proxy rounds, so load from elsewhere on the machine hits both alike; default 2. */
  rounds?: number;
}

/** One server under autocannon. */
export interface LoadFigure {
  requestsPerSecond: number;
  p99Ms: number;
  p50Ms: number;
  errors: number;
  non2xx: number;
  /** The server process's CPU time (user + system) per request of the measured run. */
  cpuMicrosPerRequest: number;
}

/** The status route against the bare baseline, and their ratio. */
export interface ThroughputFigure {
  proxy: LoadFigure;
  bare: LoadFigure;
  ratio: number;
  /** Proxy ÷ bare of each round. */
  roundRatios: number[];
  bodyBytes: number;
}

function mean(figures: LoadFigure[]): LoadFigure {
  const average = (pick: (figure: LoadFigure) => number) =>
    figures.reduce((sum, figure) => sum + pick(figure), 0) / figures.length;
  return {
    requestsPerSecond: average((figure) => figure.requestsPerSecond),
    p99Ms: Math.max(...figures.map((figure) => figure.p99Ms)),
    p50Ms: average((figure) => figure.p50Ms),
    errors: figures.reduce((sum, figure) => sum + figure.errors, 0),
    non2xx: figures.reduce((sum, figure) => sum + figure.non2xx, 0),
    cpuMicrosPerRequest: average((figure) => figure.cpuMicrosPerRequest),
  };
}

/** The server child's CPU time so far, in µs. */
async function cpuOf(server: BenchChild): Promise<number> {
  const reply = server.next<{ type: string; usage: NodeJS.CpuUsage }>(
    (message) => message.type === 'cpu',
  );
  server.send({ type: 'cpu' });
  const { usage } = await reply;
  return usage.user + usage.system;
}

async function load(
  server: BenchChild,
  url: string,
  options: ThroughputOptions,
  headers: Record<string, string>,
): Promise<LoadFigure> {
  // A short warm-up (JIT, SQLite page cache, keep-alive sockets), then the measured run.
  await autocannon({ url, connections: options.connections, duration: 1, headers });
  const cpuBefore = await cpuOf(server);
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    headers,
  });
  // CPU time is what the server spent, whoever else shares the cores: steadier than req/s.
  const cpuMicros = (await cpuOf(server)) - cpuBefore;
  return {
    cpuMicrosPerRequest: cpuMicros / Math.max(1, result.requests.total),
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/**
 * `GET /v1/connections/:id` of the proxy (in a child process, SQLite engine, default logging
 * to /dev/null) against a bare `node:http` server (also a child) answering a body of the same
 * size, with the same autocannon load from this process, in alternating rounds (mean req/s,
 * worst p99).
 */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputFigure> {
  const sim = await startSimulator({ processingMs: 0 });
  // Both built (no tsx), as the proxy is installed.
  const proxyChild = await startBuiltChild('throughput-proxy-child.ts');
  const bareChild = await startBuiltChild('throughput-bare-child.ts');
  try {
    proxyChild.send({
      flinks: flinksTargetOf(sim),
      loginId: sim.createLogin('greatday_nomfa'),
    });
    const proxy = await proxyChild.next<{ type: string; url: string; token: string }>(
      (message) => message.type === 'ready',
    );
    const headers = { authorization: `Bearer ${proxy.token}` };
    const sample = await fetch(proxy.url, { headers });
    const body = await sample.text();
    if (sample.status !== 200) throw new Error(`status route answered ${sample.status}: ${body}`);
    bareChild.send({ body });
    const bare = await bareChild.next<{ type: string; url: string }>(
      (message) => message.type === 'ready',
    );
    const bareRounds: LoadFigure[] = [];
    const proxyRounds: LoadFigure[] = [];
    for (let round = 0; round < (options.rounds ?? 2); round++) {
      bareRounds.push(await load(bareChild, bare.url, options, headers));
      proxyRounds.push(await load(proxyChild, proxy.url, options, headers));
    }
    const proxyFigure = mean(proxyRounds);
    const bareFigure = mean(bareRounds);
    return {
      proxy: proxyFigure,
      bare: bareFigure,
      ratio: proxyFigure.requestsPerSecond / bareFigure.requestsPerSecond,
      roundRatios: proxyRounds.map(
        (figure, round) =>
          figure.requestsPerSecond / (bareRounds[round] as LoadFigure).requestsPerSecond,
      ),
      bodyBytes: Buffer.byteLength(body),
    };
  } finally {
    proxyChild.process.kill('SIGTERM');
    bareChild.process.kill('SIGTERM');
    await Promise.all([proxyChild.exited, bareChild.exited]);
    await sim.close();
  }
}
