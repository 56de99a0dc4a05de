import type { ErrorBody } from '@flinkit/core/wire';
import { FlinkitProxyError } from '../base/errors';

/** HTTP statuses the proxy answers errors with. */
export type ErrorStatus =
  | 400
  | 401
  | 403
  | 404
  | 405
  | 409
  | 410
  | 413
  | 415
  | 429
  | 500
  | 502
  | 503;

const MARKER = Symbol.for('flinkit.proxy.HttpError');

/** Extra parts of an {@link HttpError}. */
export interface HttpErrorExtras {
  /** The request field at fault, for `invalid_request`. */
  field?: string;
  /** Extra response headers (`Retry-After`, `Allow`). */
  headers?: Record<string, string>;
}

/**
 * An error the HTTP layer answers as `{ error: { code, message, recoverable } }` with
 * `status`. Messages reach the caller: never put a secret, a loginId or an upstream body in one.
 *
 * @example
 * throw new HttpError(404, 'not_found', 'No connection with this id. Check the id.', false);
 */
export class HttpError extends FlinkitProxyError {
  readonly [MARKER] = true;
  readonly field: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: ErrorStatus,
    code: string,
    message: string,
    recoverable: boolean,
    extras: HttpErrorExtras = {},
  ) {
    super({ code, message, recoverable, status });
    this.name = 'HttpError';
    this.field = extras.field;
    this.headers = extras.headers ?? {};
  }

  /** True for an `HttpError`, even from another copy of this package. */
  static override isInstance(value: unknown): value is HttpError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** `ErrorBody` plus the optional `field` of validation errors. */
export type ErrorResponseBody = ErrorBody & { error: { field?: string } };

/** The JSON error response for any {@link FlinkitProxyError}. */
export function errorResponse(error: FlinkitProxyError): Response {
  const body: ErrorResponseBody = {
    error: { code: error.code, message: error.message, recoverable: error.recoverable },
  };
  let headers: Record<string, string> = {};
  if (HttpError.isInstance(error)) {
    if (error.field !== undefined) body.error.field = error.field;
    headers = error.headers;
  }
  const flinksCode = (error as { flinksCode?: unknown }).flinksCode;
  if (typeof flinksCode === 'string') body.error.flinksCode = flinksCode;
  const status = error.status >= 400 && error.status <= 599 ? error.status : 500;
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** 404 `not_found` for a connection the caller cannot see (missing or someone else's). */
export function connectionNotFound(): HttpError {
  return new HttpError(
    404,
    'not_found',
    'No connection with this id for this user. Check the id, or list your connections.',
    false,
  );
}
