/** One line of the bench table. */
export interface BenchRow {
  what: string;
  measured: string;
  budget: string;
  /** `pass`, `over`, `info` (no budget) or `not measured`. */
  result: 'pass' | 'over' | 'info' | 'not measured';
  baseline: string;
  ratio: string;
}

/** `pass` when `ok`, else `over`. */
export function verdict(ok: boolean): BenchRow['result'] {
  return ok ? 'pass' : 'over';
}

/** The rows as one Markdown table (the format of `results/latest.md`). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header: BenchRow = {
    what: 'what',
    measured: 'measured',
    budget: 'budget',
    result: 'info',
    baseline: 'baseline',
    ratio: 'ratio',
  };
  const cells = (row: BenchRow, result: string) => [
    row.what,
    row.measured,
    row.budget,
    result,
    row.baseline,
    row.ratio,
  ];
  const lines = [cells(header, 'result'), ...rows.map((row) => cells(row, row.result))];
  const widths = lines[0]!.map((_, column) =>
    Math.max(3, ...lines.map((line) => (line[column] as string).length)),
  );
  const render = (line: string[]) =>
    `| ${line.map((cell, column) => cell.padEnd(widths[column] as number)).join(' | ')} |`;
  return [
    render(lines[0]!),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...lines.slice(1).map(render),
  ].join('\n');
}

/** Bytes as KB with two decimals (1 KB = 1024 B), e.g. `9.41 KB`. */
export function formatKilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(2)} KB`;
}
