const marker = Symbol.for('flinkit.widget.error');

/** Codes of the errors the widget itself raises. */
export type WidgetErrorCode =
  | 'invalid_element'
  | 'invalid_option'
  | 'already_mounted'
  | 'token_failed';

/**
 * An error `mount` throws for bad input. Errors of the flow itself (including `token_failed`)
 * are `@flinkit/core` errors with the same `{ code, message, recoverable }` shape.
 */
export class WidgetError extends Error {
  declare readonly code: WidgetErrorCode;
  declare readonly recoverable: boolean;

  constructor(code: WidgetErrorCode, message: string, recoverable = false) {
    super(message);
    Object.assign(this, { name: 'WidgetError', code, recoverable, [marker]: true });
  }

  /** True for a `WidgetError`, even one from another copy of the widget on the page. */
  static isInstance(value: unknown): value is WidgetError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
