/**
 * `npx pnpm@10 docs:build` (from the root): the TypeScript API reference (TypeDoc), the HTTP
 * reference (the proxy's OpenAPI document), the VitePress build into `.vitepress/dist/`, then
 * the link check, which fails the build on any internal link or anchor that leads nowhere.
 * `--dev` generates the references and serves the site with hot reload instead.
 */
import { fileURLToPath } from 'node:url';
import { build, createServer } from 'vitepress';
import { checkLinks } from './check-links';
import { generateApiReference } from './generate-api';
import { generateHttpReference } from './generate-http-reference';
import { promisedAnchors } from './stable-anchors';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

const entries = await generateApiReference();
console.log(`docs: TypeScript API of ${entries.length} entry points (${seconds()})`);
await generateHttpReference();
console.log(`docs: HTTP API reference from the OpenAPI document (${seconds()})`);

if (process.argv.includes('--dev')) {
  const server = await createServer(root);
  await server.listen();
  server.printUrls();
} else {
  await build(root);
  const broken = await checkLinks(`${root}.vitepress/dist`, promisedAnchors());
  for (const link of broken) console.error(`docs: ${link.reason}: ${link.href} (on ${link.page})`);
  if (broken.length > 0) {
    console.error(`docs: ${broken.length} broken internal link(s); fix them or the build fails.`);
    process.exit(1);
  }
  console.log(`docs: built .vitepress/dist with no broken internal link or anchor in ${seconds()}`);
}
