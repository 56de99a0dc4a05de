// Run by `fetch-native.test.ts` under `scripts/without-native.mjs`: imports `@flinkit/proxy`,
// serves a request with an injected engine, then tries `@flinkit/proxy/node`, and prints what
// happened as one JSON line.
import { createFlinkitApp, type RetrievalEngine } from '@flinkit/proxy';

const engine = {
  isReady: async () => true,
  countByStatus: async () => ({}),
  start() {},
  stop: async () => undefined,
} as unknown as RetrievalEngine;
const app = createFlinkitApp({
  engine,
  userTokenSecret: 'x'.repeat(32),
  logger: { level: 'silent' },
});
const readyz = await app.fetch(new Request('http://proxy/readyz'));
let node = 'loaded';
try {
  await import('@flinkit/proxy/node');
} catch (error) {
  node = error instanceof Error ? error.message : String(error);
}
process.stdout.write(`${JSON.stringify({ readyz: readyz.status, node })}\n`);
