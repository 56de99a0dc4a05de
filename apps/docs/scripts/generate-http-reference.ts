import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createFlinkitApp, type RetrievalEngine } from '@flinkit/proxy';
import { renderOpenApi } from './render-openapi';

const DOCS_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The OpenAPI document exactly as a proxy serves it at `GET /v1/openapi.json`: an app is
 * built in memory (no database, no port) and asked for it. The route needs no engine.
 */
export async function readOpenApiDocument(): Promise<Record<string, unknown>> {
  const flinkit = createFlinkitApp({
    engine: {} as RetrievalEngine,
    userTokenSecret: 'documentation-build-only-secret-of-32-chars',
    webhookSecret: 'documentation-build-only',
    logger: { level: 'silent' },
  });
  const response = await flinkit.fetch(new Request('http://localhost/v1/openapi.json'));
  if (!response.ok) throw new Error(`GET /v1/openapi.json answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/**
 * Writes `reference/http-api.md` (the rendered reference) and `public/openapi.json` (the raw
 * document), both git-ignored and rebuilt by `docs:build`.
 */
export async function generateHttpReference(root = DOCS_ROOT): Promise<void> {
  const document = await readOpenApiDocument();
  await mkdir(`${root}reference`, { recursive: true });
  await mkdir(`${root}public`, { recursive: true });
  await writeFile(`${root}reference/http-api.md`, renderOpenApi(document));
  await writeFile(`${root}public/openapi.json`, `${JSON.stringify(document, null, 2)}\n`);
}
