import { describe, expect, it } from 'vitest';
import type { TransactionView } from './accounts-model';
import { balanceSeries, chartGeometry } from './balance-chart-geometry';

function transaction(date: string, balance: number | null): TransactionView {
  return { id: date, date, description: '', debit: null, credit: null, balance };
}

describe('balanceSeries', () => {
  it('turns newest-first transactions into an oldest-first line, skipping unknown balances', () => {
    const points = balanceSeries([
      transaction('2025-01-03', 30),
      transaction('2025-01-02', null),
      transaction('2025-01-01', 10),
    ]);
    expect(points).toEqual([
      { date: '2025-01-01', balance: 10 },
      { date: '2025-01-03', balance: 30 },
    ]);
  });
});

describe('chartGeometry', () => {
  it('spans the plot from the oldest to the newest point, higher balances higher up', () => {
    const geometry = chartGeometry(
      [
        { date: '2025-01-01', balance: 100 },
        { date: '2025-01-11', balance: 300 },
        { date: '2025-01-21', balance: 200 },
      ],
      640,
      200,
    );
    expect(geometry).not.toBeNull();
    const coordinates = [...(geometry?.path ?? '').matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map(
      (match) => [Number(match[1]), Number(match[2])],
    );
    expect(coordinates).toHaveLength(3);
    const [first, middle, last] = coordinates as [
      [number, number],
      [number, number],
      [number, number],
    ];
    expect(first[0]).toBe(72);
    expect(last[0]).toBe(628);
    expect(middle[0]).toBe(350);
    // SVG y grows downwards: the highest balance has the smallest y.
    expect(middle[1]).toBeLessThan(last[1]);
    expect(last[1]).toBeLessThan(first[1]);
    expect(geometry?.lowest.balance).toBe(100);
    expect(geometry?.highest.balance).toBe(300);
    expect(geometry?.ticks.map((tick) => Math.round(tick.value))).toEqual([100, 167, 233, 300]);
  });

  it('draws a flat line through the middle when the balance never changes', () => {
    const geometry = chartGeometry([
      { date: '2025-01-01', balance: 5 },
      { date: '2025-01-01', balance: 5 },
    ]);
    expect(geometry?.path).toBe('M72 94 L628 94');
  });

  it('needs at least two points', () => {
    expect(chartGeometry([{ date: '2025-01-01', balance: 5 }])).toBeNull();
    expect(chartGeometry([])).toBeNull();
  });
});
