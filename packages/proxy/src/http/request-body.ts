import type { z } from 'zod';
import { HttpError } from './http-error';

/** Default largest accepted request body: 16 KB. */
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Reads and validates a JSON request body.
 *
 * - a body without `Content-Type: application/json` → 415 `unsupported_media_type`;
 * - unparsable JSON → 400 `invalid_json`;
 * - a body the schema rejects → 400 `invalid_request` naming the field;
 * - an empty body is `{}` when `optional`, else 400 `invalid_request`.
 */
export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  options: { optional?: boolean } = {},
): Promise<z.infer<Schema>> {
  const text = await request.text();
  let data: unknown = {};
  if (text.trim() === '') {
    if (!options.optional) {
      throw new HttpError(400, 'invalid_request', 'The request needs a JSON body.', false);
    }
  } else {
    if (!isJsonContentType(request.headers.get('content-type'))) {
      throw new HttpError(
        415,
        'unsupported_media_type',
        'Send the body as JSON with `Content-Type: application/json`.',
        false,
      );
    }
    try {
      data = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.', false);
    }
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
    // zod messages describe the rule broken, never the value received.
    const detail = issue ? issue.message : 'invalid body';
    throw new HttpError(
      400,
      'invalid_request',
      field === undefined ? `Invalid request body: ${detail}.` : `Invalid \`${field}\`: ${detail}.`,
      false,
      field === undefined ? {} : { field },
    );
  }
  return result.data;
}

/** True for `application/json` and `application/*+json`, with or without parameters. */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const type = value.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}
