import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The site's folder (`apps/docs/`). */
export const DOCS_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The repository's root. */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** A Markdown table: its header cells and its rows, each a list of raw cells. */
export interface MarkdownTable {
  file: string;
  header: string[];
  rows: string[][];
}

const splitRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

/** Every table of a Markdown text (`| a | b |` rows after a `| --- |` separator). */
export function tablesOf(text: string, file: string): MarkdownTable[] {
  const lines = text.split('\n');
  const tables: MarkdownTable[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    if (!/^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(lines[index] ?? '')) continue;
    const header = splitRow(lines[index - 1] ?? '');
    const rows: string[][] = [];
    let next = index + 1;
    while ((lines[next] ?? '').trim().startsWith('|')) rows.push(splitRow(lines[next++] ?? ''));
    tables.push({ file, header, rows });
    index = next;
  }
  return tables;
}

/** The hand-written pages of the site (generated ones and dependencies left out). */
export async function sitePages(): Promise<string[]> {
  const entries = await readdir(DOCS_ROOT, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => relative(DOCS_ROOT, join(entry.parentPath, entry.name)))
    .filter(
      (path) =>
        !/^(node_modules|api|\.vitepress)\//.test(path) &&
        path !== 'README.md' &&
        path !== 'reference/http-api.md',
    )
    .sort();
}

/** Every table of every hand-written page. */
export async function siteTables(): Promise<MarkdownTable[]> {
  const tables: MarkdownTable[] = [];
  for (const page of await sitePages()) {
    tables.push(...tablesOf(await readFile(join(DOCS_ROOT, page), 'utf8'), page));
  }
  return tables;
}

/** The `snake_case` values in backticks of a cell: `` `not_found` `` → `not_found`. */
export const backticked = (cell: string): string[] =>
  Array.from(cell.matchAll(/`([A-Za-z][\w.-]*)`/g), (match) => match[1] ?? '');
