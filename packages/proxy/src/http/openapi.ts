import * as z from 'zod';
import { ANY, BY_ID, errors, JSON_BODY, USER } from './openapi-errors';
import {
  accountsResponseSchema,
  connectionListResponseSchema,
  connectionResponseSchema,
  connectionSchema,
  createSessionResponseSchema,
  errorBodySchema,
  ticketResponseSchema,
} from './openapi-schemas';
import { createConnectionSchema, createSessionSchema } from './schemas';

type JsonObject = Record<string, unknown>;

const NAMED_SCHEMAS = {
  CreateSessionRequest: createSessionSchema,
  CreateSessionResponse: createSessionResponseSchema,
  CreateConnectionRequest: createConnectionSchema,
  ConnectionResponse: connectionResponseSchema,
  ConnectionListResponse: connectionListResponseSchema,
  TicketResponse: ticketResponseSchema,
  AccountsResponse: accountsResponseSchema,
  ErrorBody: errorBodySchema,
} satisfies Record<string, z.ZodType>;

type SchemaName = keyof typeof NAMED_SCHEMAS;

const json = (name: SchemaName): JsonObject => ({
  'application/json': { schema: { $ref: `#/components/schemas/${name}` } },
});

/** `components.schemas` from the zod schemas; shared parts (`Connection`) become `$ref`s. */
function componentSchemas(): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED_SCHEMAS)) registry.add(schema, { id });
  registry.add(connectionSchema, { id: 'Connection' });
  const { schemas } = z.toJSONSchema(registry, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonObject> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]),
  );
}

const ok = (description: string, schema?: SchemaName): JsonObject =>
  schema ? { description, content: json(schema) } : { description };

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const user = [{ bearer: [] }];

/**
 * The OpenAPI 3.1 document of the v1 API, built from the zod schemas the routes validate
 * with (`z.toJSONSchema`). Served at `GET /v1/openapi.json`.
 */
export function buildOpenApiDocument(version = '0.0.0'): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'flinkit proxy',
      version,
      description: 'Flinks Connect sessions, connections, retrieval status (SSE) and accounts.',
    },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        flinksSignature: { type: 'apiKey', in: 'header', name: 'flinks-authenticity-key' },
      },
    },
    paths: {
      '/v1/connect/sessions': {
        post: {
          summary: 'Mint a Flinks Connect session (iframe URL with a fresh authorize token).',
          security: user,
          requestBody: { required: false, content: json('CreateSessionRequest') },
          responses: {
            200: ok('The session.', 'CreateSessionResponse'),
            ...errors(USER, JSON_BODY, {
              429: ['rate_limited'],
              502: ['upstream_error'],
              503: ['not_configured'],
            }),
          },
        },
      },
      '/v1/connect/done': {
        get: {
          summary:
            'Connect\'s redirectUrl when the server sets none: a static page ("you can close this window") that echoes nothing of its query.',
          parameters: [
            { name: 'language', in: 'query', required: false, schema: { enum: ['en', 'fr'] } },
          ],
          responses: {
            200: {
              description: 'The page.',
              content: { 'text/html': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/v1/connections': {
        get: {
          summary: "List the caller's connections, newest first.",
          security: user,
          responses: { 200: ok('The connections.', 'ConnectionListResponse'), ...errors(USER) },
        },
        post: {
          summary: 'Link a loginId and start a retrieval; idempotent per user and loginId.',
          security: user,
          requestBody: { required: true, content: json('CreateConnectionRequest') },
          responses: {
            202: ok('Accepted.', 'ConnectionResponse'),
            ...errors(USER, JSON_BODY, { 429: ['rate_limited'] }),
          },
        },
      },
      '/v1/connections/{id}': {
        parameters: [idParameter],
        get: {
          summary: 'Status of a connection.',
          security: user,
          responses: { 200: ok('The connection.', 'ConnectionResponse'), ...errors(BY_ID) },
        },
        delete: {
          summary: 'Forget the loginId and data (and DeleteCard upstream when configured).',
          security: user,
          responses: {
            204: ok('Deleted.'),
            ...errors(BY_ID, {
              500: ['encryption_key_missing'],
              502: ['flinks_error'],
            }),
          },
        },
      },
      '/v1/connections/{id}/refresh': {
        parameters: [idParameter],
        post: {
          summary: 'Start a new retrieval with the stored loginId.',
          security: user,
          responses: {
            202: ok('Accepted.', 'ConnectionResponse'),
            ...errors(BY_ID, { 429: ['rate_limited'] }),
          },
        },
      },
      '/v1/connections/{id}/ticket': {
        parameters: [idParameter],
        post: {
          summary:
            'A one-time ticket (60 s) for the SSE stream, passed as `?ticket=`; the same URL reopens the stream with `Last-Event-ID` for 2 min after it ends.',
          security: user,
          responses: { 200: ok('The ticket.', 'TicketResponse'), ...errors(BY_ID) },
        },
      },
      '/v1/connections/{id}/events': {
        parameters: [
          idParameter,
          { name: 'ticket', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'lastEventId', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
        ],
        get: {
          summary:
            'SSE: `id: <version>`, `event: status`, `data: <Connection>`; current status first, closed after a terminal one.',
          security: [...user, {}],
          responses: {
            200: {
              description: 'The stream.',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            204: ok('The client already has the terminal status.'),
            ...errors(BY_ID, { 429: ['too_many_streams'] }),
          },
        },
      },
      '/v1/connections/{id}/accounts': {
        parameters: [
          idParameter,
          {
            name: 'view',
            in: 'query',
            required: false,
            description:
              'summary, or full where FLINKIT_ACCOUNTS_VIEW=full; default: the server setting.',
            schema: { type: 'string', enum: ['summary', 'full'] },
          },
        ],
        get: {
          summary: 'The accounts: a summary by default, the full payload when configured.',
          security: user,
          responses: {
            200: ok('The accounts.', 'AccountsResponse'),
            ...errors(BY_ID, {
              400: ['invalid_request'],
              403: ['view_not_allowed'],
              409: ['not_ready'],
              410: ['data_expired'],
              500: ['encryption_key_missing'],
            }),
          },
        },
      },
      '/v1/webhooks/flinks': {
        post: {
          summary: 'Flinks webhook intake (HMAC-SHA256 of the raw body, Base64).',
          security: [{ flinksSignature: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          responses: {
            200: ok('Received.'),
            ...errors(ANY, {
              400: ['invalid_json'],
              401: ['invalid_signature'],
              403: ['webhooks_disabled'],
              413: ['payload_too_large'],
            }),
          },
        },
      },
      '/healthz': { get: { summary: 'Liveness.', responses: { 200: ok('Alive.') } } },
      '/readyz': {
        get: {
          summary: 'Readiness (store reachable).',
          responses: { 200: ok('Ready.'), 503: ok('Not ready (or shutting down).') },
        },
      },
      '/metrics': {
        get: { summary: 'Prometheus metrics.', responses: { 200: ok('Metrics text.') } },
      },
      '/v1/openapi.json': {
        get: { summary: 'This document.', responses: { 200: ok('OpenAPI 3.1.') } },
      },
    },
  };
}
