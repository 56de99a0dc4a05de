import { FlinkitError } from '@flinkit/core';

/** Codes of the errors the widget itself raises. */
export type WidgetErrorCode =
  | 'invalid_element'
  | 'invalid_option'
  | 'already_mounted'
  | 'token_failed';

/**
 * An error `mount` throws for bad input: a `FlinkitError` of `@flinkit/core` (same
 * `{ code, message, recoverable }` shape, same `isInstance()` across copies of the script) with
 * the widget's codes. Errors of the flow itself (including `token_failed`) are core errors.
 */
export class WidgetError extends FlinkitError {
  declare readonly code: WidgetErrorCode;

  constructor(code: WidgetErrorCode, message: string, recoverable = false) {
    super({ code, message, recoverable });
  }

  override get name(): string {
    return 'WidgetError';
  }
}
