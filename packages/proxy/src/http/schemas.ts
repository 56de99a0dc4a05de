import * as z from 'zod';

// The zod schemas the v1 routes validate requests with. `/v1/openapi.json` is generated from
// them (and from the answer schemas of openapi-schemas.ts), so the document cannot drift from
// what the server accepts.

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

/** What a connection id looks like (`:id` of the connection routes). */
export const CONNECTION_ID_PATTERN = /^[\w-]{1,100}$/;

/** Path parameter `:id` of the connection routes. */
export const connectionIdSchema = z.string().regex(CONNECTION_ID_PATTERN);
