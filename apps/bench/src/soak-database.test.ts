import { describe, expect, it } from 'vitest';
import { runPostgresRestartSoak, runSqliteReadOnlySoak } from './soak-database';

describe('database fault soak', () => {
  it('loses, doubles and strands no retrieval across a PostgreSQL restart', async () => {
    const figure = await runPostgresRestartSoak(30);
    console.log(`database soak: ${JSON.stringify(figure)}`);
    expect([figure.lost, figure.doubled, figure.stuck, figure.failed]).toEqual([0, 0, 0, 0]);
    expect(figure.warnings).toEqual([]);
  }, 120_000);

  it('loses, doubles and strands no retrieval across a read-only SQLite window', async () => {
    const figure = await runSqliteReadOnlySoak(30);
    console.log(`database soak: ${JSON.stringify(figure)}`);
    expect([figure.lost, figure.doubled, figure.stuck, figure.failed]).toEqual([0, 0, 0, 0]);
    // Back at work soon after the 3 s window: the backoff grows once per try, not per failed step.
    expect(figure.durationMs).toBeLessThan(20_000);
    expect(figure.warnings).toEqual([]);
  }, 120_000);
});
