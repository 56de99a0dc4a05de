// `pnpm bench`: every budget of DESIGN.md §7, measured beside its baseline, as one table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DeliveryFigure, measureDelivery } from './delivery';
import { measurePostgresDelivery } from './delivery-postgres';
import { heldRow } from './held-row';
import { type BenchRow, formatKilobytes, formatTable, verdict } from './report';
import { measureScale } from './scale';
import {
  measureComparisonSizes,
  measureOwnSizes,
  measureWidgetBaseline,
  SIZE_BUDGETS,
  type SizeResult,
} from './sizes';
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
      scale: { retrievals: 1_000, pollIntervalMs: 1_000, processingMs: 12_000 },
      delivery: 100,
      held: { retrievals: 50, holdMs: 5_000 },
    }
  : {
      throughput: { connections: 50, durationSeconds: 10 },
      scale: { retrievals: 10_000, pollIntervalMs: 10_000, processingMs: 120_000 },
      delivery: 1_000,
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
    measured: `${Math.round(figure.proxy.requestsPerSecond)} req/s, p99 ≤ ${figure.proxy.p99Ms} ms`,
    budget: '≥ 0.5× bare',
    result: verdict(figure.ratio >= 0.5 && figure.proxy.errors + figure.proxy.non2xx === 0),
    baseline: `bare node:http ${Math.round(figure.bare.requestsPerSecond)} req/s, p99 ≤ ${figure.bare.p99Ms} ms (${figure.bodyBytes} B body)`,
    ratio: `${figure.ratio.toFixed(2)}× (rounds ${figure.roundRatios.map((ratio) => ratio.toFixed(2)).join(', ')})`,
  });
}

if (wants('scale')) {
  const { retrievals, pollIntervalMs, processingMs } = settings.scale;
  log(
    `scale: ${retrievals} retrievals, poll every ${pollIntervalMs} ms, pending ${processingMs} ms`,
  );
  const figure = await measureScale(settings.scale);
  const label = `${retrievals} retrievals in flight, poll ${pollIntervalMs / 1000} s`;
  rows.push({
    what: `${label}: peak RSS of the proxy process`,
    measured: `${formatMegabytes(figure.child.peakRssBytes)} (${figure.child.peakProcessing} polling at once)`,
    budget: '≤ 300 MB',
    result: verdict(figure.child.peakRssBytes <= 300 * MB && figure.child.notReady === 0),
    baseline: `idle engine ${formatMegabytes(figure.child.baselineRssBytes)}`,
    ratio: '—',
  });
  rows.push({
    what: `${label}: polls missed / doubled`,
    measured: `${figure.missed} / ${figure.doubled} of ${figure.gaps} gaps (max gap ${figure.maxGapMs} ms)`,
    budget: '0 / 0',
    result: verdict(figure.missed === 0 && figure.doubled === 0),
    baseline: '—',
    ratio: '—',
  });
  rows.push({
    what: `${label}: schedule drift p50 / p99`,
    measured: `${formatMs(figure.child.driftP50Ms)} / ${formatMs(figure.child.driftP99Ms)} (${figure.child.polls} polls)`,
    budget: '—',
    result: 'info',
    baseline: '—',
    ratio: '—',
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
