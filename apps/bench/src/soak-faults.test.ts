import { describe, expect, it } from 'vitest';
import { HEAP_GROWTH_BOUND_BYTES, runFaultSoak } from './soak-faults';
import { formatMegabytes } from './stats';

describe('fault soak: a fifth of upstream calls fail', () => {
  it('ends all 100 retrievals ready or failed with a code, with no leak or unhandled rejection', async () => {
    const figure = await runFaultSoak(100);
    console.log(
      `fault soak: ${figure.retrievals} retrievals, ${figure.ready} ready, failed ${JSON.stringify(figure.failedByCode)}, ` +
        `${figure.stuck} stuck, ${figure.faultedCalls}/${figure.upstreamCalls} upstream calls faulted, ` +
        `${figure.unhandledRejections} unhandled rejections, ${figure.durationMs} ms; heap ` +
        `${formatMegabytes(figure.before.heapUsedBytes)} → ${formatMegabytes(figure.after.heapUsedBytes)}, rss ` +
        `${formatMegabytes(figure.before.rssBytes)} → ${formatMegabytes(figure.after.rssBytes)}, ` +
        `${figure.retainedAfterClose} of engine, simulator and their options retained after close`,
    );
    expect(figure.stuck).toBe(0);
    expect(figure.failedWithoutClearError).toBe(0);
    expect(figure.readyWithoutPayload).toBe(0);
    expect(figure.unhandledRejections).toBe(0);
    // The faults really happened: about a fifth of calls (seeded), not a quiet run.
    expect(figure.faultedCalls / figure.upstreamCalls).toBeGreaterThan(0.1);
    // Most retrievals get through: faults are transient and retried.
    expect(figure.ready).toBeGreaterThan(figure.retrievals * 0.8);
    // Once closed, nothing keeps the engine or the simulator alive (a timer, a listener, a
    // socket), and the heap comes back near its baseline (both waited for, with a deadline).
    expect(figure.retainedAfterClose).toBe(0);
    expect(figure.after.heapUsedBytes - figure.before.heapUsedBytes).toBeLessThan(
      HEAP_GROWTH_BOUND_BYTES,
    );
  });
});
