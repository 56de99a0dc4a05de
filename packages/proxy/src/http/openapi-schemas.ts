import * as z from 'zod';

// The answers of the v1 API, for `/v1/openapi.json` only (the routes build them from the engine's
// types): loaded with the document, on its first request.

/** An ISO 8601 UTC time, as the proxy writes it. */
const TIMESTAMP = z.string().meta({ format: 'date-time' });
const NULLABLE_TIMESTAMP = TIMESTAMP.nullable();

const errorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
  recoverable: z.boolean(),
  flinksCode: z.string().optional(),
});

/** Every non-2xx body. */
export const errorBodySchema = z.object({
  error: errorInfoSchema.extend({ field: z.string().optional() }),
});

/** The `Connection` of `@flinkit/core/wire` (documentation only: the engine produces it). */
export const connectionSchema = z.object({
  id: z.string(),
  status: z.enum(['pending', 'authorizing', 'processing', 'ready', 'failed', 'timed_out']),
  institution: z.string().nullable(),
  tag: z.string().nullable(),
  retrievalId: z.string(),
  attempt: z.number().int(),
  startedAt: TIMESTAMP,
  nextPollAt: NULLABLE_TIMESTAMP,
  deadlineAt: TIMESTAMP,
  completedAt: NULLABLE_TIMESTAMP,
  updatedAt: TIMESTAMP,
  version: z.number().int(),
  error: errorInfoSchema.nullable(),
  lastRefresh: NULLABLE_TIMESTAMP,
  stale: errorInfoSchema.nullable(),
});

/** `{ connection }` answers. */
export const connectionResponseSchema = z.object({ connection: connectionSchema });

/** `GET /v1/connections` answer. */
export const connectionListResponseSchema = z.object({ connections: z.array(connectionSchema) });

/** `POST /v1/connect/sessions` answer. */
export const createSessionResponseSchema = z.object({
  url: z.string().meta({ format: 'uri' }),
  expiresAt: TIMESTAMP,
});

/** `POST /v1/connections/:id/ticket` answer. */
export const ticketResponseSchema = z.object({ ticket: z.string(), expiresAt: TIMESTAMP });

const accountSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  type: z.string().nullable(),
  category: z.string().nullable(),
  currency: z.string(),
  maskedNumber: z.string().nullable(),
  balance: z.object({
    available: z.number().nullable(),
    current: z.number().nullable(),
    limit: z.number().nullable(),
  }),
  transactionCount: z.number().int(),
});

/** `GET /v1/connections/:id/accounts` answer. */
export const accountsResponseSchema = z.discriminatedUnion('view', [
  z.object({
    view: z.literal('summary'),
    connectionId: z.string(),
    institution: z.string().nullable(),
    retrievedAt: TIMESTAMP,
    accounts: z.array(accountSummarySchema),
  }),
  z.object({
    view: z.literal('full'),
    connectionId: z.string(),
    institution: z.string().nullable(),
    retrievedAt: TIMESTAMP,
    payload: z.record(z.string(), z.unknown()),
  }),
]);
