import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STABLE_ANCHORS } from '../scripts/stable-anchors';
import { DOCS_ROOT } from './markdown';
import {
  brokenCitations,
  docsCitations,
  filesOutsideDocs,
  headingIds,
  type LineHit,
  outsideReferences,
} from './repository';

// READMEs and code comments cite the docs site's pages (`apps/docs/architecture.md#store`), which
// are in the repository, never the notes beside it, which a user of the packages cannot open.
const files = filesOutsideDocs();
const where = (hit: LineHit & { reason?: string }) =>
  `${hit.file}:${hit.line}: ${hit.match}${hit.reason ? ` (${hit.reason})` : ''}`;

describe('references from the repository to its documentation', () => {
  it('reads the packages, apps, examples and root files, not the docs site itself', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('packages/proxy/src/store/store.ts');
    expect(files).toContain('examples/nextjs/README.md');
    expect(files.filter((file) => file.startsWith('apps/docs/'))).toEqual([]);
    expect(files.filter((file) => /(^|\/)(node_modules|dist)\//.test(file))).toEqual([]);
  });

  it('names no note outside the repository (DESIGN.md, FLINKS.md, ../shared)', () => {
    // Cite the page that holds the content instead: scripts/stable-anchors.ts maps each section.
    expect(outsideReferences(files).map(where)).toEqual([]);
  });

  it('cites only docs pages and headings that exist', () => {
    const citations = docsCitations(files);
    expect(citations.length).toBeGreaterThan(30);
    expect(brokenCitations(citations).map(where)).toEqual([]);
  });
});

describe('headingIds', () => {
  it('gives the ids VitePress gives (the anchors the built site is checked for)', () => {
    const read = (page: string) => headingIds(readFileSync(join(DOCS_ROOT, page), 'utf8'));
    const pages = { '/architecture': read('architecture.md'), '/flinks': read('flinks.md') };
    for (const href of Object.values(STABLE_ANCHORS)) {
      const [page, anchor] = href.split('#') as [keyof typeof pages, string];
      expect(pages[page].has(anchor), href).toBe(true);
    }
  });

  it('skips fenced code and numbers repeated headings', () => {
    const markdown = [
      '# Title',
      '```sh',
      '# a shell comment',
      '```',
      '## `createFlinkitApp(config)`, [the app](./x.md)',
      '## Errors',
      '## Errors',
      '### Custom {#kept}',
    ].join('\n');
    expect([...headingIds(markdown)]).toEqual([
      'title',
      'createflinkitapp-config-the-app',
      'errors',
      'errors-1',
      'kept',
    ]);
  });
});
