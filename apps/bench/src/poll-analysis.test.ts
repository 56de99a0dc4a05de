import { describe, expect, it } from 'vitest';
import { analyzePolls } from './poll-analysis';

const calls = (requestId: string, times: number[]) => times.map((at) => ({ requestId, at }));

describe('analyzePolls', () => {
  it('finds nothing wrong in a regular schedule with some lateness', () => {
    const figure = analyzePolls(
      [...calls('a', [0, 1000, 2100, 3050]), ...calls('b', [10, 1010])],
      1000,
    );
    expect(figure).toMatchObject({ requestIds: 2, gaps: 4, doubled: 0, missed: 0, maxGapMs: 1100 });
  });

  it('counts a poll closer than half the interval as doubled', () => {
    expect(analyzePolls(calls('a', [0, 1000, 1300, 2300]), 1000).doubled).toBe(1);
  });

  it('counts a gap over twice the interval as missed, whatever the arrival order', () => {
    expect(analyzePolls(calls('a', [4500, 0, 1000, 2000]), 1000).missed).toBe(1);
  });

  it('measures lateness as the gap minus the interval', () => {
    const figure = analyzePolls(calls('a', [0, 1000, 2100, 3050, 4050]), 1000);
    expect(figure).toMatchObject({ lateP50Ms: 0, lateP99Ms: 100, lateMaxMs: 100 });
  });
});
