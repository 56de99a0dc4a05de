import { useId } from 'react';
import type { AccountView } from './accounts-model';
import { balanceSeries, chartGeometry } from './balance-chart-geometry';
import { formatDate, formatMoney } from './format';

/** An SVG line of the account's running balance over its transaction history. */
export function BalanceChart({ account }: { account: AccountView }) {
  const id = useId();
  const geometry = chartGeometry(balanceSeries(account.transactions));
  if (geometry === null) {
    return <p className="muted">Not enough transactions to draw the balance.</p>;
  }
  const money = (value: number) => formatMoney(value, account.currency);
  const { first, last, lowest, highest } = geometry;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${geometry.width} ${geometry.height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        data-testid="balance-chart"
      >
        <title id={`${id}-title`}>Balance of {account.title}</title>
        <desc id={`${id}-desc`}>
          From {money(first.balance)} on {formatDate(first.date)} to {money(last.balance)} on{' '}
          {formatDate(last.date)}; lowest {money(lowest.balance)}, highest {money(highest.balance)}.
        </desc>
        {geometry.ticks.map((tick) => (
          <g key={tick.value} className="chart-grid">
            <line x1={72} x2={geometry.width - 12} y1={tick.y} y2={tick.y} />
            <text x={64} y={tick.y + 4} textAnchor="end">
              {money(tick.value)}
            </text>
          </g>
        ))}
        <path className="chart-line" d={geometry.path} />
        <text className="chart-axis" x={72} y={geometry.height - 6}>
          {formatDate(first.date)}
        </text>
        <text
          className="chart-axis"
          x={geometry.width - 12}
          y={geometry.height - 6}
          textAnchor="end"
        >
          {formatDate(last.date)}
        </text>
      </svg>
      <figcaption>
        Balance over {balanceSeries(account.transactions).length} transactions
      </figcaption>
    </figure>
  );
}
