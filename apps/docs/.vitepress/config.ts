import { existsSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitepress';

type SidebarItem = { text: string; link?: string; items?: SidebarItem[]; collapsed?: boolean };

// Written by scripts/generate-api.ts (TypeDoc) before VitePress runs.
const apiSidebarFile = new URL('../api/typedoc-sidebar.json', import.meta.url);
const apiSidebar: SidebarItem[] = existsSync(apiSidebarFile)
  ? JSON.parse(readFileSync(apiSidebarFile, 'utf8'))
  : [];

const guide: SidebarItem[] = [
  {
    text: 'Start',
    items: [
      { text: 'Quickstart', link: '/guide/quickstart' },
      { text: 'Your first real Flinks link', link: '/guide/first-real-link' },
    ],
  },
  {
    text: 'Integrate',
    items: [
      { text: 'Script tag', link: '/guide/script-tag' },
      { text: 'React', link: '/guide/react' },
      { text: 'Next.js', link: '/guide/nextjs' },
      { text: 'Express', link: '/guide/express' },
    ],
  },
  {
    text: 'Run it',
    items: [
      { text: 'Self-hosting', link: '/guide/self-hosting' },
      { text: 'Security model', link: '/guide/security' },
      { text: 'Simulator and testing', link: '/guide/testing' },
    ],
  },
  {
    text: 'Reference',
    items: [
      { text: 'HTTP API', link: '/reference/http-api' },
      { text: 'Error codes', link: '/reference/errors' },
      { text: 'TypeScript API', link: '/api/' },
    ],
  },
  {
    text: 'Project',
    items: [
      { text: 'Architecture', link: '/architecture' },
      { text: 'Flinks facts', link: '/flinks' },
      { text: 'Contributing', link: '/contributing' },
    ],
  },
];

export default defineConfig({
  title: 'flinkit',
  description:
    'Flinks Connect, from the iframe to your backend: browser core, React hook, script-tag widget, self-hosted proxy and an offline Flinks simulator.',
  srcExclude: ['README.md', 'scripts/**', 'snippets/**'],
  lastUpdated: false,
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/quickstart' },
      { text: 'HTTP API', link: '/reference/http-api' },
      { text: 'TypeScript API', link: '/api/' },
      { text: 'Architecture', link: '/architecture' },
    ],
    sidebar: {
      '/api/': [{ text: 'TypeScript API', link: '/api/', items: apiSidebar }],
      '/': guide,
    },
    outline: [2, 3],
    search: { provider: 'local' },
    footer: { message: 'MIT licensed. Not affiliated with Flinks.' },
  },
});
