/** A JSON Schema / OpenAPI node, read loosely: the document comes from `z.toJSONSchema`. */
type Node = Record<string, unknown>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
// zod's bounds for a safe integer say nothing a reader needs.
const SAFE_INTEGER = 9007199254740991;

const asNode = (value: unknown): Node =>
  typeof value === 'object' && value !== null ? (value as Node) : {};
const asNodes = (value: unknown): Node[] => (Array.isArray(value) ? value.map(asNode) : []);
const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string): string => `\`${text}\``;

/** `#/components/schemas/Connection` → `Connection`. */
const refName = (node: Node): string | null =>
  typeof node.$ref === 'string' ? (node.$ref.split('/').pop() ?? null) : null;

/** The anchor of a component schema on the rendered page. */
export const schemaAnchor = (name: string): string => `schema-${name.toLowerCase()}`;

/** The anchor of an operation: `POST /v1/connections/{id}` → `post-v1-connections-id`. */
export const operationAnchor = (method: string, path: string): string =>
  `${method}-${path}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function typeOf(node: Node): string {
  const ref = refName(node);
  if (ref) return `[${ref}](#${schemaAnchor(ref)})`;
  if ('const' in node) return code(JSON.stringify(node.const));
  if (Array.isArray(node.enum))
    return node.enum.map((value) => code(JSON.stringify(value))).join(' | ');
  const union = asNodes(node.anyOf ?? node.oneOf);
  if (union.length > 0) return union.map(typeOf).join(' | ');
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  if (types.length === 0) return code('unknown');
  return types
    .map((type) => {
      if (type === 'array') return `${typeOf(asNode(node.items))}[]`;
      if (type === 'object' && !node.properties && node.additionalProperties !== undefined) {
        const values = asNode(node.additionalProperties);
        return code(`Record<string, ${Object.keys(values).length ? typeOf(values) : 'unknown'}>`);
      }
      return code(String(type));
    })
    .join(' | ');
}

function constraints(node: Node): string[] {
  const notes: string[] = [];
  if (typeof node.pattern === 'string') notes.push(`pattern ${code(node.pattern)}`);
  if (typeof node.minLength === 'number') notes.push(`min length ${node.minLength}`);
  if (typeof node.maxLength === 'number') notes.push(`max length ${node.maxLength}`);
  for (const key of ['minimum', 'maximum'] as const) {
    const bound = node[key];
    if (typeof bound === 'number' && Math.abs(bound) !== SAFE_INTEGER)
      notes.push(`${key} ${bound}`);
  }
  return notes;
}

/** The object inside `X`, `X | null` or `X[]`, when its fields should be listed below it. */
function nestedObject(node: Node): { node: Node; suffix: string } | null {
  if (refName(node)) return null;
  if (node.properties) return { node, suffix: '.' };
  const items = asNode(node.items);
  if (node.type === 'array' && items.properties && !refName(items))
    return { node: items, suffix: '[].' };
  const objects = asNodes(node.anyOf).filter((member) => member.properties);
  return objects.length === 1 && objects[0] ? { node: objects[0], suffix: '.' } : null;
}

function propertyRows(node: Node, prefix = ''): string[] {
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  return Object.entries(asNode(node.properties)).flatMap(([name, value]) => {
    const property = asNode(value);
    const about = [
      typeof property.description === 'string' ? property.description : '',
      ...constraints(property),
    ].filter(Boolean);
    const row = `| ${code(prefix + name)} | ${cell(typeOf(property))} | ${required.has(name) ? 'yes' : 'no'} | ${cell(about.join('; '))} |`;
    const nested = nestedObject(property);
    return [row, ...(nested ? propertyRows(nested.node, `${prefix}${name}${nested.suffix}`) : [])];
  });
}

/** ` (view: "summary")` for a variant whose first `const` field tells it apart. */
function discriminator(node: Node): string {
  for (const [name, value] of Object.entries(asNode(node.properties))) {
    const property = asNode(value);
    if ('const' in property) return ` (${code(`${name}: ${JSON.stringify(property.const)}`)})`;
  }
  return '';
}

function renderSchema(name: string, node: Node): string {
  const lines = [`### ${name} {#${schemaAnchor(name)}}`, ''];
  const variants = asNodes(node.oneOf);
  const parts = variants.length > 0 ? variants : [node];
  parts.forEach((part, index) => {
    if (variants.length > 0) lines.push(`Variant ${index + 1}${discriminator(part)}:`, '');
    lines.push('| field | type | required | notes |', '| --- | --- | --- | --- |');
    lines.push(...propertyRows(part), '');
  });
  return lines.join('\n');
}

function renderOperation(method: string, path: string, operation: Node, shared: Node[]): string {
  const lines = [`### ${method.toUpperCase()} ${path} {#${operationAnchor(method, path)}}`, ''];
  if (typeof operation.summary === 'string') lines.push(operation.summary, '');
  const security = asNodes(operation.security);
  const schemes = security.flatMap((item) => Object.keys(item));
  if (schemes.length > 0) {
    const optional = security.some((item) => Object.keys(item).length === 0);
    lines.push(
      `**Authentication:** ${schemes.map(code).join(' or ')}${optional ? ' (or a one-time `ticket`)' : ''}. See [Authentication](#authentication).`,
      '',
    );
  }
  const parameters = [...shared, ...asNodes(operation.parameters)];
  if (parameters.length > 0) {
    lines.push('| parameter | in | required | type | notes |', '| --- | --- | --- | --- | --- |');
    for (const parameter of parameters) {
      lines.push(
        `| ${code(String(parameter.name))} | ${parameter.in} | ${parameter.required ? 'yes' : 'no'} | ${cell(typeOf(asNode(parameter.schema)))} | ${cell(typeof parameter.description === 'string' ? parameter.description : '')} |`,
      );
    }
    lines.push('');
  }
  const body = asNode(operation.requestBody);
  for (const [type, media] of Object.entries(asNode(body.content))) {
    lines.push(
      `**Request body** (${code(type)}, ${body.required ? 'required' : 'optional'}): ${typeOf(asNode(asNode(media).schema))}`,
      '',
    );
  }
  lines.push('| status | meaning | body |', '| --- | --- | --- |');
  for (const [status, value] of Object.entries(asNode(operation.responses))) {
    const response = asNode(value);
    const content = Object.entries(asNode(response.content));
    const bodies = content.map(
      ([type, media]) => `${typeOf(asNode(asNode(media).schema))} (${code(type)})`,
    );
    const meaning =
      response.description === 'Error'
        ? 'An error (see [Error codes](/reference/errors#proxy-http-errors)).'
        : String(response.description ?? '');
    lines.push(`| ${status} | ${cell(meaning)} | ${cell(bodies.join(', ') || '—')} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * Renders the proxy's OpenAPI 3.1 document as one VitePress page: an index of the routes,
 * each operation (parameters, body, responses) and each component schema, field by field.
 * Anchors are stable: `#post-v1-connections`, `#schema-connection`.
 */
export function renderOpenApi(document: Node): string {
  const info = asNode(document.info);
  const paths = Object.entries(asNode(document.paths));
  const operations = paths.flatMap(([path, value]) => {
    const item = asNode(value);
    return METHODS.filter((method) => item[method]).map((method) => ({
      method,
      path,
      operation: asNode(item[method]),
      shared: asNodes(item.parameters),
    }));
  });
  const schemas = Object.entries(asNode(asNode(document.components).schemas));
  return [
    '---',
    'outline: [2, 2]',
    'editLink: false',
    '---',
    '',
    "<!-- Generated by apps/docs/scripts/generate-http-reference.ts from the proxy's OpenAPI document. Do not edit. -->",
    '',
    '# HTTP API reference',
    '',
    `${info.description ?? ''} This page is rendered at build time from the OpenAPI ${document.openapi} document that every proxy serves at ${code('GET /v1/openapi.json')} (download [openapi.json](/openapi.json)), so it matches the code it was built from.`,
    '',
    'Every body is JSON. Every error is `{ "error": { "code", "message", "recoverable" } }` with a 4xx or 5xx status (plus `flinksCode` for Flinks failures and `field` for validation errors); the codes are listed in [Error codes](/reference/errors#proxy-http-errors).',
    '',
    '## Authentication',
    '',
    'Routes marked `bearer` need the end user: in standalone mode a short-lived HS256 user token in `Authorization: Bearer …` (your backend signs it with `signUserToken`), or, when the proxy is embedded, whatever your `authenticate(request)` accepts (usually your own session cookie). `EventSource` cannot send headers, so the SSE route also takes a one-time `?ticket=` from `POST /v1/connections/{id}/ticket`. The webhook intake is authenticated by the Flinks HMAC signature (`flinksSignature`). See [Security model](/guide/security#tokens-and-tickets).',
    '',
    '## Routes',
    '',
    '| route | does |',
    '| --- | --- |',
    ...operations.map(
      ({ method, path, operation }) =>
        `| [${code(`${method.toUpperCase()} ${path}`)}](#${operationAnchor(method, path)}) | ${cell(String(operation.summary ?? ''))} |`,
    ),
    '',
    '## Operations',
    '',
    ...operations.map(({ method, path, operation, shared }) =>
      renderOperation(method, path, operation, shared),
    ),
    '## Schemas',
    '',
    ...schemas.map(([name, schema]) => renderSchema(name, asNode(schema))),
  ].join('\n');
}
