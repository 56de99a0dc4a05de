import { describe, expect, it } from 'vitest';
import { createTestApp } from '../test/helpers';

describe('GET /v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document listing every route with its schemas', async () => {
    const test = createTestApp();
    const response = await test.request('/v1/openapi.json');
    expect(response.status).toBe(200);
    const document = JSON.parse(await response.text()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }
        >
      >;
    };
    expect(document.openapi).toBe('3.1.0');
    const routes = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => key !== 'parameters')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'POST /v1/connect/sessions',
        'GET /v1/connect/done',
        'GET /v1/connections',
        'POST /v1/connections',
        'GET /v1/connections/{id}',
        'DELETE /v1/connections/{id}',
        'POST /v1/connections/{id}/refresh',
        'POST /v1/connections/{id}/ticket',
        'GET /v1/connections/{id}/events',
        'GET /v1/connections/{id}/accounts',
        'POST /v1/webhooks/flinks',
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
        'GET /v1/openapi.json',
      ].sort(),
    );
    const create =
      document.paths['/v1/connections']?.post?.requestBody?.content['application/json']?.schema;
    expect(create).toEqual({ $ref: '#/components/schemas/CreateConnectionRequest' });
    const schemas = (
      document as unknown as { components: { schemas: Record<string, Record<string, unknown>> } }
    ).components.schemas;
    expect(schemas.CreateConnectionRequest).toMatchObject({
      type: 'object',
      required: ['loginId'],
      properties: { loginId: { type: 'string' } },
    });
    expect(schemas.ConnectionResponse).toMatchObject({
      properties: { connection: { $ref: '#/components/schemas/Connection' } },
    });
    // Every $ref points at a defined schema.
    for (const [, name] of JSON.stringify(document).matchAll(/"#\/components\/schemas\/(\w+)"/g)) {
      expect(schemas[name as string], name).toBeDefined();
    }
  });

  it('documents only routes the app serves (none answers 404)', async () => {
    const test = createTestApp();
    const document = (await (await test.request('/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of Object.keys(item).filter((key) => key !== 'parameters')) {
        const response = await test.request(path.replace('{id}', 'conn_1'), {
          method: method.toUpperCase(),
        });
        const body =
          response.status === 404
            ? ((await response.json()) as { error: { message: string } })
            : null;
        expect(body?.error.message ?? '', `${method} ${path}`).not.toMatch(/No such route/);
      }
    }
  });
});
