/** Marker shared by every copy of this module, so `isInstance` works across duplicates. */
const MARKER = Symbol.for('flinkit.playground.error');

/**
 * What can stop the playground, as a stable snake_case code:
 * `invalid_state_file` (the saved secrets cannot be read), `invalid_config` (a `FLINKS_*`
 * variable is malformed), `proxy_failed` (the `flinkit serve`
 * child exited or never became ready), `widget_missing` (no built `flinkit.js`),
 * `build_failed` (Vite could not build the demo pages).
 */
export type PlaygroundErrorCode =
  | 'invalid_state_file'
  | 'invalid_config'
  | 'proxy_failed'
  | 'widget_missing'
  | 'build_failed';

/**
 * The playground's own error: a `code`, a message that says what to do, and `recoverable`
 * (true when running the same command again may work).
 *
 * @example
 * if (PlaygroundError.isInstance(error)) console.error(error.code, error.message);
 */
export class PlaygroundError extends Error {
  readonly code: PlaygroundErrorCode;
  readonly recoverable: boolean;
  readonly [MARKER] = true;

  constructor(
    code: PlaygroundErrorCode,
    message: string,
    options?: { recoverable?: boolean; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlaygroundError';
    this.code = code;
    this.recoverable = options?.recoverable ?? false;
  }

  /** True for a `PlaygroundError` from any copy of this package. */
  static isInstance(value: unknown): value is PlaygroundError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}
