import type { TransactionView } from './accounts-model';

/** One point of the balance line. */
export interface BalancePoint {
  date: string;
  balance: number;
}

/** Everything the SVG needs, in its own coordinates. */
export interface ChartGeometry {
  width: number;
  height: number;
  /** The SVG `d` of the line, oldest point on the left. */
  path: string;
  /** Horizontal grid lines with their value. */
  ticks: Array<{ value: number; y: number }>;
  first: BalancePoint;
  last: BalancePoint;
  lowest: BalancePoint;
  highest: BalancePoint;
}

/** The running balances of `transactions` (newest first, as shown), oldest first. */
export function balanceSeries(transactions: readonly TransactionView[]): BalancePoint[] {
  const points: BalancePoint[] = [];
  for (let index = transactions.length - 1; index >= 0; index -= 1) {
    const transaction = transactions[index];
    if (transaction?.balance != null && transaction.date !== '') {
      points.push({ date: transaction.date, balance: transaction.balance });
    }
  }
  return points;
}

const PADDING = { top: 12, right: 12, bottom: 24, left: 72 };

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Lays the points out in a `width`×`height` box: x by date (index when all dates match),
 * y between the lowest and highest balance with four grid lines. Null under two points.
 */
export function chartGeometry(
  points: readonly BalancePoint[],
  width = 640,
  height = 200,
): ChartGeometry | null {
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined || points.length < 2) return null;
  let lowest = first;
  let highest = first;
  for (const point of points) {
    if (point.balance < lowest.balance) lowest = point;
    if (point.balance > highest.balance) highest = point;
  }
  const start = Date.parse(first.date);
  const span = Date.parse(last.date) - start;
  const plotWidth = width - PADDING.left - PADDING.right;
  const plotHeight = height - PADDING.top - PADDING.bottom;
  const range = highest.balance - lowest.balance;
  const x = (point: BalancePoint, index: number) =>
    PADDING.left +
    plotWidth * (span > 0 ? (Date.parse(point.date) - start) / span : index / (points.length - 1));
  const y = (value: number) =>
    PADDING.top +
    (range === 0 ? plotHeight / 2 : plotHeight * (1 - (value - lowest.balance) / range));
  const path = points
    .map(
      (point, index) =>
        `${index === 0 ? 'M' : 'L'}${round(x(point, index))} ${round(y(point.balance))}`,
    )
    .join(' ');
  const ticks = [0, 1, 2, 3].map((step) => {
    const value = lowest.balance + (range * step) / 3;
    return { value, y: round(y(value)) };
  });
  return { width, height, path, ticks, first, last, lowest, highest };
}
