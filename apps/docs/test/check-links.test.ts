import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLinks } from '../scripts/check-links';

describe('checkLinks', () => {
  let dist: string;
  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'flinkit-links-'));
    await mkdir(join(dist, 'guide'));
    await writeFile(join(dist, 'index.html'), '<h1 id="top">x</h1><img src="/logo.png">');
    await writeFile(join(dist, 'logo.png'), '');
    await writeFile(
      join(dist, 'guide', 'a.html'),
      [
        '<h2 id="here">Here</h2>',
        '<a href="#here">ok</a>',
        '<a href="b.html#there">ok</a>',
        '<a href="/guide/b#there">ok, clean URL</a>',
        '<a href="/#top">ok</a>',
        '<a href="https://example.com/#nowhere">external</a>',
        '<a href="#gone">missing anchor here</a>',
        '<a href="b.html#gone">missing anchor there</a>',
        '<a href="/guide/c.html">missing page</a>',
        '<a href="/guide/b.html?x=1&amp;y=2#th%65re">ok, encoded</a>',
      ].join('\n'),
    );
    await writeFile(join(dist, 'guide', 'b.html'), '<h2 id="there">There</h2>');
    await writeFile(
      join(dist, 'guide', 'code.html'),
      '<pre><code>Invalid code snippet option</code></pre><pre><code>Code snippet path not found: /x/y.ts</code></pre>',
    );
  });
  afterAll(async () => {
    await rm(dist, { recursive: true, force: true });
  });

  it('reports missing pages, anchors and code includes, and nothing else', async () => {
    const broken = await checkLinks(dist, ['/guide/b#there', '/guide/b#promised']);
    expect(broken).toEqual([
      { page: '/guide/a.html', href: '#gone', reason: 'missing anchor' },
      { page: '/guide/a.html', href: 'b.html#gone', reason: 'missing anchor' },
      { page: '/guide/a.html', href: '/guide/c.html', reason: 'missing page' },
      { page: 'scripts/stable-anchors.ts', href: '/guide/b#promised', reason: 'missing anchor' },
      {
        page: '/guide/code.html',
        href: 'Invalid code snippet option',
        reason: 'broken code include',
      },
      {
        page: '/guide/code.html',
        href: 'Code snippet path not found: /x/y.ts',
        reason: 'broken code include',
      },
    ]);
  });
});
