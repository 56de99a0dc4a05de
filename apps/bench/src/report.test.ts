import { describe, expect, it } from 'vitest';
import { formatKilobytes, formatTable, verdict } from './report';

describe('formatTable', () => {
  it('renders one aligned Markdown table with every row', () => {
    const table = formatTable([
      {
        what: 'core gzip',
        measured: '2.50 KB',
        budget: '≤ 3 KB',
        result: verdict(true),
        baseline: '—',
        ratio: '—',
      },
      {
        what: 'status route',
        measured: '900 req/s',
        budget: '≥ 0.5×',
        result: verdict(false),
        baseline: '3000 req/s',
        ratio: '0.30×',
      },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^\| what +\| measured +\| budget +\| result \| baseline +\| ratio \|$/,
    );
    expect(lines[2]).toContain('| pass ');
    expect(lines[3]).toContain('| over ');
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });

  it('formats sizes in KB of 1024 bytes', () => {
    expect(formatKilobytes(3072)).toBe('3.00 KB');
  });
});
