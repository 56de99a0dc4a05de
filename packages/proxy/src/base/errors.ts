/** Marker shared by every copy of this package, so `isInstance` works across duplicates. */
const MARKER = Symbol.for('flinkit.proxy.error');

/** Options of {@link FlinkitProxyError}. */
export interface FlinkitProxyErrorOptions {
  code: string;
  message: string;
  recoverable: boolean;
  /** HTTP status to answer with, when this error reaches the HTTP layer; default 500. */
  status?: number;
}

/**
 * Base class of every error the proxy throws. `code` is stable snake_case, `message` says what
 * to do, `recoverable` says whether trying again can help. Never carries secrets.
 *
 * @example
 * if (FlinkitProxyError.isInstance(error)) console.log(error.code, error.recoverable);
 */
export class FlinkitProxyError extends Error {
  readonly code: string;
  readonly recoverable: boolean;
  readonly status: number;
  readonly [MARKER] = true;

  constructor(options: FlinkitProxyErrorOptions) {
    super(options.message);
    this.name = 'FlinkitProxyError';
    this.code = options.code;
    this.recoverable = options.recoverable;
    this.status = options.status ?? 500;
  }

  /** True for any flinkit proxy error, even from another copy of the package. */
  static isInstance(value: unknown): value is FlinkitProxyError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }

  /** The JSON shape of the error body (`{ code, message, recoverable }`). */
  toJSON(): { code: string; message: string; recoverable: boolean } {
    return { code: this.code, message: this.message, recoverable: this.recoverable };
  }
}

const CONFIG_MARKER = Symbol.for('flinkit.proxy.ConfigError');

/**
 * A missing or malformed setting: an environment variable of `flinkit serve`
 * (`FLINKIT_ENCRYPTION_KEYS`) or an option passed in code (`connect.instance`). The one class of
 * configuration error, code `invalid_config`; its message names the setting and says what to
 * put there, never the value (it may be a secret).
 *
 * @example
 * if (ConfigError.isInstance(error)) console.error(`fix ${error.setting}: ${error.message}`);
 */
export class ConfigError extends FlinkitProxyError {
  /** The variable or option at fault. */
  readonly setting: string;
  readonly [CONFIG_MARKER] = true;

  constructor(setting: string, message: string) {
    super({ code: 'invalid_config', message, recoverable: false });
    this.name = 'ConfigError';
    this.setting = setting;
  }

  /** True for a {@link ConfigError}, even from another copy of this package. */
  static override isInstance(value: unknown): value is ConfigError {
    return typeof value === 'object' && value !== null && CONFIG_MARKER in value;
  }
}
