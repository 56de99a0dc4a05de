import * as z from 'zod';

// The zod schemas of the v1 API: the routes validate with them and `/v1/openapi.json` is
// generated from them, so the document cannot drift from what the server accepts.

const TAG = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.:@-]+$/)
  .meta({ description: 'Correlation string echoed by Flinks (letters, digits, `_.:@-`).' });

/** `POST /v1/connect/sessions` body. */
export const createSessionSchema = z.object({
  language: z.enum(['en', 'fr']).optional(),
  tag: TAG.optional(),
  params: z
    .record(z.string().max(64), z.union([z.string().max(200), z.boolean()]))
    .optional()
    .meta({ description: 'Connect parameters; the server drops those it does not allow.' }),
});

/** `POST /v1/connections` body (from the iframe's REDIRECT). */
export const createConnectionSchema = z.object({
  loginId: z
    .string()
    .regex(/^[\w.-]{1,128}$/)
    .meta({ description: 'The loginId Flinks Connect gave the browser.' }),
  institution: z.string().min(1).max(100).optional().meta({
    description:
      'Accepted and ignored: the connection shows the institution Flinks names in its answers.',
  }),
  requestId: z
    .string()
    .regex(/^[\w.-]{1,128}$/)
    .optional(),
  tag: TAG.optional(),
  accountIds: z
    .array(z.string().regex(/^[\w.-]{1,128}$/))
    .max(50)
    .optional()
    .meta({
      description:
        "The accounts the customer chose in Connect's account selector (the REDIRECT's `accountId`). Only these are retrieved, on this retrieval and every refresh; absent or empty: every account.",
    }),
});

/** An ISO 8601 UTC time, as the proxy writes it. */
const TIMESTAMP = z.string().meta({ format: 'date-time' });
const NULLABLE_TIMESTAMP = TIMESTAMP.nullable();

/** What a connection id looks like (`:id` of the connection routes). */
export const CONNECTION_ID_PATTERN = /^[\w-]{1,100}$/;

/** Path parameter `:id` of the connection routes. */
export const connectionIdSchema = z.string().regex(CONNECTION_ID_PATTERN);

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
