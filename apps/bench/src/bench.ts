// `pnpm bench`: every budget of apps/docs/architecture.md#budgets, measured beside its baseline, as
// one table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DeliveryFigure, measureDelivery } from './delivery';
import { measurePostgresDelivery } from './delivery-postgres';
import { heldRow } from './held-row';
import { measureHold } from './hold';
import { startPostgres } from './postgres';
import { type BenchRow, formatKilobytes, formatTable, verdict } from './report';
import { measureScale, type ScaleFigure } from './scale';
import { measureServe } from './serve';
import {
  measureComparisonSizes,
  measureOwnSizes,
  measureWidgetBaseline,
  SIZE_BUDGETS,
  type SizeResult,
} from './sizes';
import { measureFanout } from './sse-fanout';
import { formatMegabytes, formatMs } from './stats';
import { measureThroughput } from './throughput';

const quick = process.argv.includes('--quick');
const figuresArgument = process.argv.find((argument) => argument.startsWith('--figures='));
const only = figuresArgument
  ? new Set(figuresArgument.slice('--figures='.length).split(','))
  : null;
const wants = (part: string) => only === null || only.has(part);

/** Counts of each figure; `--quick` keeps every figure but small (whole run ≤ 90 s). */
const settings = quick
  ? {
      throughput: { connections: 50, durationSeconds: 3 },
      // The in-flight rows ask the same 3 000 polls/s as the full run, from fewer retrievals. The
      // creations arrive over a ramp (a retrieval lives for minutes: N in flight come from far
      // fewer new ones a second than polls), and the steady window starts when all are in.
      inFlight: { retrievals: 3_000, pollIntervalMs: 1_000, processingMs: 16_000, rampMs: 6_000 },
      memory: null,
      hold: { held: 500, others: 500, holdMs: 8_000, pollIntervalMs: 1_000 },
      postgres: {
        retrievals: 1_000,
        pollIntervalMs: 1_000,
        processingMs: 10_000,
        rampMs: 4_000,
        processes: 3,
      },
      delivery: 100,
      fanout: { streams: 2_000, webhooks: 50 },
      held: { retrievals: 50, holdMs: 5_000 },
    }
  : {
      throughput: { connections: 50, durationSeconds: 10 },
      inFlight: {
        retrievals: 30_000,
        pollIntervalMs: 10_000,
        processingMs: 90_000,
        rampMs: 40_000,
      },
      memory: { retrievals: 10_000, pollIntervalMs: 10_000, processingMs: 90_000, rampMs: 40_000 },
      hold: { held: 500, others: 1_000, holdMs: 60_000, pollIntervalMs: 1_000 },
      // Pending longer than on SQLite: the last full run's creations on PostgreSQL outlasted
      // 90 s, so no moment had all 10 000 in flight and no steady figure could be printed.
      postgres: {
        retrievals: 10_000,
        pollIntervalMs: 10_000,
        processingMs: 150_000,
        rampMs: 40_000,
        processes: 3,
      },
      delivery: 1_000,
      fanout: { streams: 10_000, webhooks: 200 },
      held: { retrievals: 200, holdMs: 60_000 },
    };

const KB = 1024;
const MB = 1024 * 1024;
const rows: BenchRow[] = [];
const started = Date.now();
const log = (message: string) => console.error(`bench: ${message}`);

/** The row of one delivery figure; a `ready` missed or repeated fails it whatever the timing. */
async function deliveryRow(
  setup: string,
  measure: () => Promise<DeliveryFigure>,
): Promise<BenchRow> {
  const row = { budget: 'p99 ≤ 50 ms', baseline: '—', ratio: '—' };
  let figure: DeliveryFigure;
  try {
    figure = await measure();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      ...row,
      what: `webhook sent → SSE ready received, ${setup}`,
      measured: `not measured: ${reason}`,
      result: 'not measured',
    };
  }
  const complete = figure.readyReceived === figure.retrievals && figure.repeatedReady === 0;
  return {
    ...row,
    what: `webhook sent → SSE ready received, ${setup} (${figure.retrievals})`,
    measured: `p50 ${formatMs(figure.p50Ms)}, p99 ${formatMs(figure.p99Ms)} (max ${formatMs(figure.maxMs)})${complete ? '' : `; ${figure.readyReceived} ready, ${figure.repeatedReady} repeated`}`,
    result: verdict(figure.p99Ms <= 50 && complete),
  };
}

if (wants('sizes')) {
  log('sizes');
  const own = measureOwnSizes();
  // The widget's baseline: its dependencies alone, so the row shows the widget's own share.
  const widgetBaseline = await measureWidgetBaseline();
  const budgets: Array<[SizeResult, number, SizeResult | null]> = [
    [own.widget, SIZE_BUDGETS.widget, widgetBaseline],
    [own.core, SIZE_BUDGETS.core, null],
    [own.react, SIZE_BUDGETS.react, null],
  ];
  for (const [figure, budget, baseline] of budgets) {
    const compared = baseline && !('error' in baseline) && !('error' in figure);
    rows.push({
      what: `${figure.name}, gzip -9`,
      measured:
        'error' in figure ? `not measured: ${figure.error}` : formatKilobytes(figure.gzipBytes),
      budget: `≤ ${budget / KB} KB`,
      result: 'error' in figure ? 'not measured' : verdict(figure.gzipBytes <= budget),
      baseline: !baseline
        ? '—'
        : 'error' in baseline
          ? `${baseline.name}: not measured (${baseline.error})`
          : `${baseline.name} ${formatKilobytes(baseline.gzipBytes)}`,
      ratio: compared
        ? `${(figure.gzipBytes / baseline.gzipBytes).toFixed(2)}× (widget's own +${formatKilobytes(figure.gzipBytes - baseline.gzipBytes)})`
        : '—',
    });
  }
  const ours =
    'error' in own.react || 'error' in own.core ? null : own.react.gzipBytes + own.core.gzipBytes;
  for (const figure of measureComparisonSizes()) {
    rows.push({
      what: `${figure.name}, gzip -9 (comparison)`,
      measured: formatKilobytes(figure.gzipBytes),
      budget: '—',
      result: 'info',
      baseline: ours === null ? '—' : `@flinkit/react + core ${formatKilobytes(ours)}`,
      ratio: ours === null ? '—' : `${(ours / figure.gzipBytes).toFixed(2)}×`,
    });
  }
}

if (wants('throughput')) {
  log(`status route vs bare node:http (${JSON.stringify(settings.throughput)})`);
  const figure = await measureThroughput(settings.throughput);
  rows.push({
    what: `proxy GET /v1/connections/:id, ${settings.throughput.connections} connections, 2 × ${settings.throughput.durationSeconds} s`,
    measured: `${Math.round(figure.proxy.requestsPerSecond)} req/s, p99 ≤ ${figure.proxy.p99Ms} ms; server CPU ${figure.proxy.cpuMicrosPerRequest.toFixed(1)} µs/request`,
    budget: '≥ 0.5× bare',
    result: verdict(figure.ratio >= 0.5 && figure.proxy.errors + figure.proxy.non2xx === 0),
    baseline: `bare node:http ${Math.round(figure.bare.requestsPerSecond)} req/s, p99 ≤ ${figure.bare.p99Ms} ms; ${figure.bare.cpuMicrosPerRequest.toFixed(1)} µs/request (${figure.bodyBytes} B body)`,
    ratio: `${figure.ratio.toFixed(2)}× (rounds ${figure.roundRatios.map((ratio) => ratio.toFixed(2)).join(', ')})`,
  });
}

if (wants('scale')) {
  const { retrievals, pollIntervalMs } = settings.inFlight;
  log(`scale: ${retrievals} retrievals, poll every ${pollIntervalMs} ms, one process (SQLite)`);
  const sqlite = await measureScale(settings.inFlight);
  rows.push(
    inFlightRow(
      sqlite,
      'one process, SQLite',
      '≥ 30000 in flight at 10 s (3000 polls/s): p99 late ≤ 1 s, 0 missed',
    ),
  );
  const connections = (sqlite.upstream.connections * 1000) / sqlite.upstream.calls;
  rows.push({
    what: 'upstream TCP connections opened per 1000 upstream calls',
    measured: `${connections.toFixed(2)} (${sqlite.upstream.connections} connections, ${sqlite.upstream.calls} calls)`,
    budget: '≤ 10',
    result: verdict(connections <= 10),
    baseline: '—',
    ratio: '—',
  });
  let memory = sqlite;
  if (settings.memory) {
    log(`scale: ${settings.memory.retrievals} retrievals, for the memory row`);
    memory = await measureScale(settings.memory);
  }
  rows.push(memoryRow(memory));

  const hold = settings.hold;
  log(`hold: ${hold.held} GetAccountsDetail held ${hold.holdMs} ms, ${hold.others} polling`);
  const held = await measureHold(hold);
  rows.push({
    what: `polls/s while ${hold.held} GetAccountsDetail requests are held (${hold.holdMs / 1000} s each, the simulator's hold), ${hold.others} polling every ${hold.pollIntervalMs / 1000} s`,
    measured: `${Math.round(held.pollsPerSecond)} polls/s over ${(held.windowMs / 1000).toFixed(1)} s, p99 late ${formatMs(held.window.lateP99Ms)}`,
    budget: '≥ 0.9× asked',
    result: verdict(held.pollsPerSecond >= 0.9 * held.askedPerSecond),
    baseline: `asked ${Math.round(held.askedPerSecond)} polls/s`,
    ratio: `${(held.pollsPerSecond / held.askedPerSecond).toFixed(2)}×`,
  });

  const shared = settings.postgres;
  log(`scale: ${shared.retrievals} retrievals, ${shared.processes} processes on PostgreSQL`);
  const postgres = await startPostgres();
  try {
    const figure = await measureScale({ ...shared, databaseUrl: postgres.url });
    const row = inFlightRow(
      figure,
      `${shared.processes} processes, PostgreSQL`,
      `0 missed at 10000 in flight`,
    );
    rows.push({
      ...row,
      result: verdict(
        figure.upstream.missed === 0 &&
          figure.upstream.doubled === 0 &&
          figure.engines.every((engine) => engine.notReady === 0),
      ),
      baseline: `SQLite, one process: ${Math.round(sqlite.steady?.pollsPerSecond ?? Number.NaN)} polls/s, p99 late ${formatMs(sqlite.steady?.upstream.lateP99Ms ?? Number.NaN)}`,
    });
  } finally {
    await postgres.stop();
  }
}

if (wants('serve')) {
  log('serve: flinkit serve (built) spawn → /readyz, idle RSS');
  const figure = await measureServe(quick ? 3 : 5);
  const { serve, bare } = figure;
  rows.push({
    what: `flinkit serve (built, fresh SQLite file): spawn → /readyz 200, and idle RSS (median of ${figure.runs})`,
    measured: `${Math.round(serve.readyMs)} ms; ${formatMegabytes(serve.idleRssBytes)}`,
    budget: '≤ 400 ms; ≤ 60 MB',
    result: verdict(serve.readyMs <= 400 && serve.idleRssBytes <= 60 * MB),
    baseline: `bare node:http server spawned the same way: ${Math.round(bare.readyMs)} ms; ${formatMegabytes(bare.idleRssBytes)}`,
    ratio: `${(serve.readyMs / bare.readyMs).toFixed(2)}×; ${(serve.idleRssBytes / bare.idleRssBytes).toFixed(2)}×`,
  });
}

if (wants('delivery')) {
  log(`delivery: ${settings.delivery} webhooks → SSE, one instance`);
  rows.push(
    await deliveryRow('one instance', () => measureDelivery({ retrievals: settings.delivery })),
  );
  log(`delivery: ${settings.delivery} webhooks → SSE, two instances on PostgreSQL`);
  rows.push(
    await deliveryRow('two instances on PostgreSQL (webhook → B, SSE on A)', () =>
      measurePostgresDelivery(settings.delivery),
    ),
  );
}

/**
 * Polls/s and lateness with every retrieval in flight (the steady window), beside the rate it
 * asks for; missed/doubled over the whole run, ramp and completions included.
 */
function inFlightRow(figure: ScaleFigure, setup: string, budget: string): BenchRow {
  const { retrievals, pollIntervalMs } = figure.options;
  const asked = (retrievals * 1000) / pollIntervalMs;
  const up = figure.upstream;
  const steady = figure.steady;
  const allReady = figure.engines.every((engine) => engine.notReady === 0);
  const what = `${retrievals} retrievals in flight, poll ${pollIntervalMs / 1000} s, ${setup}: polls/s and lateness with all in flight; missed / doubled over the run`;
  const schedule = `${up.missed} / ${up.doubled} of ${up.gaps} gaps (late p99 ${formatMs(up.lateP99Ms)} over the run)${allReady ? '' : '; not all ready'}`;
  if (!steady) {
    return {
      what,
      measured: `no window with all in flight; ${schedule}`,
      budget,
      result: 'over',
      baseline: `asked ${Math.round(asked)} polls/s`,
      ratio: '—',
    };
  }
  const late = steady.upstream;
  return {
    what,
    measured: `${Math.round(steady.pollsPerSecond)} polls/s over ${(steady.windowMs / 1000).toFixed(0)} s, late p50 ${formatMs(late.lateP50Ms)}, p99 ${formatMs(late.lateP99Ms)}, max ${formatMs(late.lateMaxMs)}, engine CPU ${Math.round(steady.engineCpuPerPollUs)} µs/poll (one core: ${Math.round(1e6 / steady.engineCpuPerPollUs)} polls/s); ${schedule}`,
    budget,
    result: verdict(
      asked >= 3000 && late.lateP99Ms <= 1000 && up.missed === 0 && up.doubled === 0 && allReady,
    ),
    baseline: `asked ${Math.round(asked)} polls/s; CPU share over the run: engine ${percent(figure.engineCpuShare)}, simulator ${percent(figure.simulatorCpuShare)} (own process)`,
    ratio: `${(steady.pollsPerSecond / asked).toFixed(2)}×`,
  };
}

/** Peak RSS of the engine process and what each retrieval in flight adds to the idle engine. */
function memoryRow(figure: ScaleFigure): BenchRow {
  const engine = figure.engines[0] as ScaleFigure['engines'][number];
  const { retrievals } = figure.options;
  const perRetrieval = (engine.peakRssBytes - engine.baselineRssBytes) / retrievals;
  return {
    what: `RSS of the engine process (built, no tsx) at ${retrievals} retrievals in flight`,
    measured: `${formatMegabytes(engine.peakRssBytes)} peak; ${Math.round(perRetrieval)} B per retrieval in flight (${engine.peakProcessing} processing at once)`,
    budget: '≤ 200 MB at 10000',
    result: verdict(engine.peakRssBytes <= 200 * MB && engine.notReady === 0),
    baseline: `idle engine ${formatMegabytes(engine.baselineRssBytes)}`,
    ratio: `${(engine.peakRssBytes / engine.baselineRssBytes).toFixed(2)}×`,
  };
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

if (wants('sse')) {
  const { streams, webhooks } = settings.fanout;
  log(`sse: ${streams} open status streams, ${webhooks} webhooks → SSE`);
  try {
    const figure = await measureFanout(streams, webhooks);
    const perConnection = (figure.rssLinkedBytes - figure.rssBeforeBytes) / streams;
    const perStream = (figure.rssOpenBytes - figure.rssLinkedBytes) / streams;
    rows.push({
      what: `${streams} open SSE streams on one process (heartbeats every 15 s): proxy RSS, and webhook → SSE ready while they are open (${figure.webhooks})`,
      measured: `${formatMegabytes(figure.rssOpenBytes)} open (peak ${formatMegabytes(figure.peakRssBytes)}; ${formatMegabytes(figure.rssLinkedBytes)} with the connections linked and no stream open: ${Math.round(perConnection)} B per linked connection, ${Math.round(perStream)} B per open stream); p50 ${formatMs(figure.p50Ms)}, p99 ${formatMs(figure.p99Ms)} (max ${formatMs(figure.maxMs)})`,
      budget: 'RSS ≤ 300 MB at 10000; p99 ≤ 50 ms',
      // The RSS budget is for 10 000 streams (the full run): fewer can only fail it.
      result:
        figure.p99Ms > 50 || figure.peakRssBytes > 300 * MB
          ? 'over'
          : streams >= 10_000
            ? 'pass'
            : 'info',
      baseline: `the same proxy before the connections and streams: ${formatMegabytes(figure.rssBeforeBytes)}`,
      ratio: `${(figure.rssOpenBytes / figure.rssBeforeBytes).toFixed(2)}×`,
    });
  } catch (error) {
    rows.push({
      what: `${streams} open SSE streams on one process`,
      measured: `not measured: ${error instanceof Error ? error.message : String(error)}`,
      budget: 'RSS ≤ 300 MB; p99 ≤ 50 ms',
      result: 'not measured',
      baseline: '—',
      ratio: '—',
    });
  }
}

if (wants('held')) {
  const { retrievals, holdMs } = settings.held;
  log(`held: ${retrievals} retrievals, GetAccountsDetail held ${holdMs / 1000} s each`);
  rows.push(await heldRow(settings.held));
}

const [load1] = loadavg();
const header = [
  `# flinkit bench${quick ? ' (--quick)' : ''}`,
  '',
  `${new Date().toISOString()} · Node ${process.versions.node} · ${cpus().length} CPUs · load average ${load1?.toFixed(2)} at the end · ${Math.round((Date.now() - started) / 1000)} s`,
  '',
].join('\n');
const output = `${header}${formatTable(rows)}\n`;
console.log(output);
const results = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
mkdirSync(results, { recursive: true });
writeFileSync(join(results, 'latest.md'), output);
process.exit(0);
