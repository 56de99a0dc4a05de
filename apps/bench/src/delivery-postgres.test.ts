import { describe, expect, it } from 'vitest';
import { measurePostgresDelivery } from './delivery-postgres';

describe('webhook → SSE with two proxy instances on PostgreSQL', () => {
  it('brings every webhook sent to instance B to its SSE client on instance A as ready', async () => {
    const figure = await measurePostgresDelivery(20);
    console.log(
      `delivery, two instances on PostgreSQL: ${figure.readyReceived} of 20 ready received, ${figure.repeatedReady} repeated, p50 ${figure.p50Ms.toFixed(1)} ms, p99 ${figure.p99Ms.toFixed(1)} ms, max ${figure.maxMs.toFixed(1)} ms`,
    );
    expect(figure.instances).toBe(2);
    expect(figure.retrievals).toBe(20);
    expect(figure.readyReceived).toBe(20);
    expect(figure.repeatedReady).toBe(0);
  }, 30_000);
});
