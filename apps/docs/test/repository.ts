import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_ROOT, REPO_ROOT } from './markdown';

/** One line of a repository file that matched. */
export interface LineHit {
  /** Path from the repository root, e.g. `packages/proxy/src/store/store.ts`. */
  file: string;
  /** 1-based. */
  line: number;
  match: string;
}

/** A citation of a docs page: `apps/docs/guide/react.md#errors` in a comment or a link. */
export interface Citation extends LineHit {
  /** Path under `apps/docs/`: `guide/react.md`. */
  page: string;
  /** The `#fragment`, if any. */
  anchor: string | undefined;
}

/**
 * The notes that live beside the repository, not in it (`../shared/DESIGN.md` and friends): a
 * user of the packages cannot open them, so nothing in the repository may point at them.
 */
export const OUTSIDE_NOTES =
  /\b(?:DESIGN|FLINKS|STYLE|ANCHORS)\.md\b|\.\.\/shared\b|\/work\/shared\b/g;

const CITATION = /apps\/docs\/((?:[\w.-]+\/)*[\w.-]+\.md)(?:#([\w-]+))?/g;
const BINARY = /\.(?:png|jpe?g|gif|ico|webp|woff2?|ttf|tgz|gz|zip|db|sqlite)$/i;

/**
 * The text files of the repository outside the docs site, as git sees them: tracked and new
 * ones, without what `.gitignore` leaves out (node_modules, dist, generated pages, results).
 */
export function filesOutsideDocs(): string[] {
  const listed = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
  return listed
    .split('\0')
    .filter((file) => file !== '' && !file.startsWith('apps/docs/') && !BINARY.test(file))
    .filter((file) => existsSync(join(REPO_ROOT, file)));
}

function hits(files: readonly string[], pattern: RegExp): (LineHit & { groups: string[] })[] {
  const found: (LineHit & { groups: string[] })[] = [];
  for (const file of files) {
    const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      for (const match of text.matchAll(pattern)) {
        found.push({ file, line: index + 1, match: match[0], groups: match.slice(1) });
      }
    });
  }
  return found;
}

/** Every place in `files` that names a note outside the repository. */
export function outsideReferences(files: readonly string[]): LineHit[] {
  return hits(files, OUTSIDE_NOTES).map(({ file, line, match }) => ({ file, line, match }));
}

/** Every citation of a docs page in `files` (code comments and Markdown links alike). */
export function docsCitations(files: readonly string[]): Citation[] {
  return hits(files, CITATION).map(({ file, line, match, groups }) => ({
    file,
    line,
    match,
    page: groups[0] ?? '',
    anchor: groups[1],
  }));
}

// VitePress's heading ids: its default `slugify` (from @mdit-vue/shared), applied to the
// heading's text; its removal of control characters is left out, as headings hold none.
const SPECIAL = /[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g;
const slugify = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .replace(SPECIAL, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();

/**
 * The ids VitePress gives the headings of a Markdown page: `{#custom}` where set, otherwise the
 * slug of the text (links reduced to their text), `-1`, `-2`… for repeats. Fenced code is skipped.
 */
export function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
      continue;
    }
    const heading = fence === null ? /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1] : undefined;
    if (heading === undefined) continue;
    const custom = /\{#([^}]+)\}\s*$/.exec(heading)?.[1];
    const base = custom ?? slugify(heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    let id = base;
    for (let repeat = 1; ids.has(id); repeat += 1) id = `${base}-${repeat}`;
    ids.add(id);
  }
  return ids;
}

/** The citations whose page is not in `apps/docs/`, or whose anchor no heading of it has. */
export function brokenCitations(citations: readonly Citation[]): (Citation & { reason: string })[] {
  const pages = new Map<string, Set<string> | null>();
  const idsOf = (page: string): Set<string> | null => {
    if (!pages.has(page)) {
      const path = join(DOCS_ROOT, page);
      pages.set(page, existsSync(path) ? headingIds(readFileSync(path, 'utf8')) : null);
    }
    return pages.get(page) ?? null;
  };
  return citations.flatMap((citation) => {
    const ids = idsOf(citation.page);
    if (ids === null) return [{ ...citation, reason: 'missing page' }];
    if (citation.anchor !== undefined && !ids.has(citation.anchor)) {
      return [{ ...citation, reason: 'missing anchor' }];
    }
    return [];
  });
}
