import type { FlinksConnectError } from './types';
import type { ErrorInfo } from './wire';

const MARKER = Symbol.for('flinkit.error');

/** What a `FlinkitError` is made of: the proxy's error shape plus the HTTP status and a cause. */
export interface FlinkitErrorInit extends ErrorInfo {
  /** HTTP status when the proxy answered with an error. */
  status?: number;
  cause?: unknown;
}

/**
 * The one error class of flinkit: a stable snake_case `code` to branch on, a `message` that says
 * what to do, and whether trying again can help (`recoverable`).
 *
 * @example
 * try { await client.getConnection(id) } catch (error) {
 *   if (FlinkitError.isInstance(error) && error.code === 'not_found') …
 * }
 */
export class FlinkitError extends Error {
  declare readonly code: string;
  declare readonly recoverable: boolean;
  /** HTTP status when the proxy answered with an error. */
  declare readonly status?: number;
  /** The upstream FlinksCode when Flinks caused it. */
  declare readonly flinksCode?: string;

  constructor({ message, cause, ...info }: FlinkitErrorInit) {
    super(message, { cause });
    Object.assign(this, info);
  }

  override get name(): string {
    return 'FlinkitError';
  }

  // On the prototype, so copies made with `{ ...error }` are not taken for errors.
  get [MARKER](): true {
    return true;
  }

  /** The plain shape the store and UIs keep: `{ code, message, recoverable, status?, flinksCode? }`. */
  toJSON(): FlinksConnectError {
    return { ...this, message: this.message };
  }

  /**
   * True for any `FlinkitError`, also one thrown by another copy of this package (a marker
   * symbol from the global registry, not `instanceof`).
   */
  static isInstance(value: unknown): value is FlinkitError {
    return MARKER in Object(value);
  }
}

/** Any thrown value as a `FlinkitError` (`unexpected_error` when it is not one already). */
export function asFlinkitError(error: unknown): FlinkitError {
  return FlinkitError.isInstance(error)
    ? error
    : new FlinkitError({
        code: 'unexpected_error',
        message: `Unexpected failure (${String(error)}); retry.`,
        recoverable: true,
        cause: error,
      });
}
