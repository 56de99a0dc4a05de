import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Application, type TypeDocOptions } from 'typedoc';
import type { PluginOptions } from 'typedoc-plugin-markdown';
import { type ApiEntry, apiEntries } from './api-entries';

const DOCS_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Options of {@link generateApiReference}. */
export interface GenerateApiOptions {
  /** Where the Markdown goes; default `apps/docs/api` (git-ignored, built by `docs:build`). */
  outDir?: string;
}

/**
 * Writes the TypeScript API reference as Markdown with TypeDoc: one module per entry point of
 * {@link apiEntries}, named by its import specifier (`@flinkit/core/wire`), plus
 * `typedoc-sidebar.json` for the VitePress sidebar. Resolves with the entries it documented.
 */
export async function generateApiReference(options: GenerateApiOptions = {}): Promise<ApiEntry[]> {
  const outDir = options.outDir ?? `${DOCS_ROOT}api`;
  const entries = apiEntries();
  const typedocOptions: TypeDocOptions & PluginOptions & { docsRoot: string } = {
    entryPoints: entries.map((entry) => entry.sourceFile),
    tsconfig: `${DOCS_ROOT}tsconfig.typedoc.json`,
    plugin: ['typedoc-plugin-markdown', 'typedoc-vitepress-theme'],
    out: outDir,
    docsRoot: DOCS_ROOT,
    name: 'TypeScript API',
    readme: `${DOCS_ROOT}scripts/api-readme.md`,
    mergeReadme: true,
    // The packages' own `tsc` runs check the types; here one program spans DOM and Node code.
    skipErrorChecking: true,
    excludeScopesInPaths: true,
    parametersFormat: 'table',
    interfacePropertiesFormat: 'table',
    classPropertiesFormat: 'table',
    typeDeclarationFormat: 'table',
    tableColumnSettings: { hideSources: true },
    logLevel: 'Warn',
  };
  const app = await Application.bootstrapWithPlugins(typedocOptions);
  const project = await app.convert();
  if (!project) throw new Error('TypeDoc could not convert the packages (see the errors above).');
  for (const module of project.children ?? []) {
    const entry = entries.find((item) => item.sourceFile === module.sources?.[0]?.fullFileName);
    if (entry) module.name = entry.specifier;
  }
  await rm(outDir, { recursive: true, force: true });
  await app.generateOutputs(project);
  return entries;
}
