import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';

/** One link that leads nowhere: the page it is on, and where it points. */
export interface BrokenLink {
  page: string;
  href: string;
  reason: 'missing page' | 'missing anchor' | 'broken code include';
}

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' };
const decodeEntities = (text: string): string =>
  text.replace(/&(amp|quot|#39|lt|gt);/g, (_, name: string) => ENTITIES[name] ?? '');
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;
// What VitePress renders, without failing the build, in place of a `<<< file` it cannot read.
const BROKEN_INCLUDE = /Code snippet path not found: [^<]*|Invalid code snippet option/g;

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The file a site path is served from (`/guide/react` → `guide/react.html`), or null. */
function resolveFile(dist: string, pathname: string): string | null {
  const path = decodeURIComponent(pathname);
  const candidates = path.endsWith('/')
    ? [`${path}index.html`]
    : [path, `${path}.html`, `${path}/index.html`];
  for (const candidate of candidates) {
    const file = join(dist, candidate);
    if (existsSync(file) && !file.endsWith(sep)) return file;
  }
  return null;
}

/**
 * Checks every internal `href` and `src` in the built site: the target file must exist and,
 * for a `#fragment`, the target page must have an element with that `id` (VitePress checks
 * pages but not anchors). `promised` lists `path#anchor`s other files rely on (the sections
 * of the architecture and Flinks pages): they must exist too. A code include (`<<< file`) that
 * VitePress could not read counts as broken as well.
 */
export async function checkLinks(
  dist: string,
  promised: readonly string[] = [],
): Promise<BrokenLink[]> {
  const files = await htmlFiles(dist);
  const ids = new Map<string, Set<string>>();
  const brokenIncludes: BrokenLink[] = [];
  const links: { page: string; href: string; shownAs?: string }[] = [];
  for (const file of files) {
    const html = await readFile(file, 'utf8');
    ids.set(
      file,
      new Set(
        Array.from(html.matchAll(/\s(?:id|name)="([^"]+)"/g), (match) =>
          decodeEntities(match[1] ?? ''),
        ),
      ),
    );
    const page = `/${relative(dist, file).split(sep).join(posix.sep)}`;
    for (const [message] of html.matchAll(BROKEN_INCLUDE)) {
      brokenIncludes.push({ page, href: message, reason: 'broken code include' });
    }
    for (const match of html.matchAll(
      /<(?:a|link|img|script|source)\s[^>]*?(?:href|src)="([^"]*)"/g,
    )) {
      links.push({ page, href: decodeEntities(match[1] ?? '') });
    }
  }
  links.push(
    ...promised.map((href) => ({ page: '/', href, shownAs: 'scripts/stable-anchors.ts' })),
  );

  const broken: BrokenLink[] = [];
  for (const { page, href, shownAs } of links) {
    if (href === '' || EXTERNAL.test(href)) continue;
    const url = new URL(href, `http://site${page}`);
    const target =
      url.pathname === page && href.startsWith('#')
        ? join(dist, page)
        : resolveFile(dist, url.pathname);
    if (!target) {
      broken.push({ page: shownAs ?? page, href, reason: 'missing page' });
      continue;
    }
    const fragment = decodeURIComponent(url.hash.slice(1));
    if (fragment && target.endsWith('.html') && !ids.get(target)?.has(fragment)) {
      broken.push({ page: shownAs ?? page, href, reason: 'missing anchor' });
    }
  }
  return [...broken, ...brokenIncludes];
}
