import { describe, expect, it } from 'vitest';
import { runRestartSoak } from './soak-restarts';

describe('restart soak: kill -9 while retrievals run', () => {
  it('loses no retrieval and completes each once across 5 kills of 50 retrievals', async () => {
    const figure = await runRestartSoak(5, 50);
    console.log(
      `restart soak: ${figure.kills} kills, ${figure.retrievals} retrievals, ${figure.lost} lost, ` +
        `${figure.completedTwice} completed twice, ${figure.deliveries} deliveries ` +
        `(${figure.redeliveries} repeated with the same id), ${figure.extraAuthorizes} extra Authorize, ` +
        `${figure.durationMs} ms`,
    );
    expect(figure.lost).toBe(0);
    expect(figure.completedTwice).toBe(0);
    expect(figure.deliveries - figure.redeliveries).toBe(50);
  });
});
