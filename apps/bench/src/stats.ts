/** The `p`-th percentile (0..100) of `values` by nearest rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/**
 * The largest of `values`, or NaN when there are none. A loop, not `Math.max(...values)`, which
 * overflows the call stack past ~100 000 values (the full bench analyses 300 000 polls).
 */
export function maximum(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** Bytes as mebibytes with one decimal, e.g. `212.4 MB`. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Milliseconds with one decimal, e.g. `3.2 ms`. */
export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a';
}

/** Epoch ms with sub-millisecond precision, comparable between processes of one machine. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
