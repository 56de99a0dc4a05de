type JsonObject = Record<string, unknown>;

/** Every error answer, by status, with the `error.code`s it may carry. */
export type ErrorCodes = Record<number, readonly string[]>;

// What any route may answer: an unexpected failure, a database that cannot serve it, a server
// that is shutting down (answered before the route runs).
export const ANY: ErrorCodes = {
  500: ['internal_error'],
  503: ['store_unavailable', 'shutting_down'],
};
export const USER: ErrorCodes = { ...ANY, 401: ['unauthorized'] };
export const JSON_BODY: ErrorCodes = {
  400: ['invalid_json', 'invalid_request'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
};
export const BY_ID: ErrorCodes = { ...USER, 404: ['not_found'] };

/** Merges error tables, joining the codes of a status both list. */
export const merge = (...tables: ErrorCodes[]): ErrorCodes => {
  const merged: Record<number, string[]> = {};
  for (const table of tables) {
    for (const [status, codes] of Object.entries(table)) {
      merged[Number(status)] = [...new Set([...(merged[Number(status)] ?? []), ...codes])];
    }
  }
  return merged;
};

/** The error responses of an operation: `ErrorBody` with `error.code` narrowed to its codes. */
export const errors = (...tables: ErrorCodes[]): JsonObject =>
  Object.fromEntries(
    Object.entries(merge(...tables)).map(([status, codes]) => [
      status,
      {
        description: `Error: ${codes.join(', ')}`,
        content: {
          'application/json': {
            schema: {
              allOf: [
                { $ref: '#/components/schemas/ErrorBody' },
                {
                  type: 'object',
                  properties: {
                    error: { type: 'object', properties: { code: { enum: [...codes] } } },
                  },
                },
              ],
            },
          },
        },
      },
    ]),
  );
