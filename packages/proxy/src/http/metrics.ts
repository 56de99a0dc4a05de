import type { UpstreamCallMetric } from '../flinks/client';

/** Upper bounds (seconds) of the upstream latency histogram. */
export const LATENCY_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** In-process counters behind `GET /metrics`. */
export interface Metrics {
  /** Pass as the engine's `onUpstreamCall`. */
  recordUpstreamCall(metric: UpstreamCallMetric): void;
  sseOpened(): void;
  sseClosed(): void;
  /** Open SSE streams right now. */
  sseClients(): number;
  /** Prometheus text exposition, with `flinkit_retrievals` from `countByStatus`. */
  render(countByStatus: Record<string, number>): string;
}

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

/** A fresh {@link Metrics} (one per app; no global registry). */
export function createMetrics(): Metrics {
  const calls = new Map<string, number>();
  const latency = new Map<string, Histogram>();
  let sse = 0;

  return {
    recordUpstreamCall(metric) {
      const key = labels({ endpoint: metric.endpoint, outcome: metric.outcome });
      calls.set(key, (calls.get(key) ?? 0) + 1);
      const endpoint = labels({ endpoint: metric.endpoint });
      let histogram = latency.get(endpoint);
      if (!histogram) {
        histogram = { buckets: LATENCY_BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };
        latency.set(endpoint, histogram);
      }
      const seconds = Math.max(0, metric.durationMs) / 1000;
      LATENCY_BUCKETS_SECONDS.forEach((bound, index) => {
        if (seconds <= bound && histogram)
          histogram.buckets[index] = (histogram.buckets[index] ?? 0) + 1;
      });
      histogram.sum += seconds;
      histogram.count += 1;
    },
    sseOpened() {
      sse += 1;
    },
    sseClosed() {
      sse = Math.max(0, sse - 1);
    },
    sseClients() {
      return sse;
    },
    render(countByStatus) {
      const lines: string[] = [
        '# HELP flinkit_retrievals Connections by status of their latest retrieval.',
        '# TYPE flinkit_retrievals gauge',
      ];
      for (const [state, count] of Object.entries(countByStatus).sort()) {
        lines.push(`flinkit_retrievals${labels({ state })} ${count}`);
      }
      lines.push(
        '# HELP flinkit_upstream_calls_total Calls to the Flinks API by endpoint and outcome.',
        '# TYPE flinkit_upstream_calls_total counter',
      );
      for (const [key, count] of [...calls].sort()) {
        lines.push(`flinkit_upstream_calls_total${key} ${count}`);
      }
      lines.push(
        '# HELP flinkit_upstream_call_duration_seconds Latency of calls to the Flinks API.',
        '# TYPE flinkit_upstream_call_duration_seconds histogram',
      );
      for (const [key, histogram] of [...latency].sort()) {
        const inner = key.slice(1, -1);
        LATENCY_BUCKETS_SECONDS.forEach((bound, index) => {
          lines.push(
            `flinkit_upstream_call_duration_seconds_bucket{${inner},le="${bound}"} ${histogram.buckets[index] ?? 0}`,
          );
        });
        lines.push(
          `flinkit_upstream_call_duration_seconds_bucket{${inner},le="+Inf"} ${histogram.count}`,
          `flinkit_upstream_call_duration_seconds_sum${key} ${histogram.sum}`,
          `flinkit_upstream_call_duration_seconds_count${key} ${histogram.count}`,
        );
      }
      lines.push(
        '# HELP flinkit_sse_clients Open SSE status streams.',
        '# TYPE flinkit_sse_clients gauge',
        `flinkit_sse_clients ${sse}`,
      );
      return `${lines.join('\n')}\n`;
    },
  };
}

function labels(values: Record<string, string>): string {
  const inner = Object.entries(values)
    .map(
      ([name, value]) =>
        `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
    )
    .join(',');
  return `{${inner}}`;
}
