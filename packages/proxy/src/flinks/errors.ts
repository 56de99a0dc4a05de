import { FlinkitProxyError } from '../base/errors';

/** The classification of a failed Flinks call: what the caller should do next. */
export type FlinksErrorKind = 'reauthorize' | 'transient' | 'terminal';

/** Options of {@link FlinksApiError}. */
export interface FlinksApiErrorOptions {
  kind: FlinksErrorKind;
  /** The Flinks endpoint, e.g. `GetAccountsDetail`. */
  endpoint: string;
  /** The FlinksCode of the answer; `null` for network errors and timeouts. */
  flinksCode: string | null;
  /** The HTTP status of the answer; `null` when no answer came. */
  httpStatus: number | null;
  message: string;
  recoverable: boolean;
  /** Set when Flinks asked us to wait (429 `Retry-After`), in ms. */
  retryAfterMs?: number;
  /**
   * False only when the request certainly never reached Flinks (DNS failure, refused
   * connection); default true.
   */
  requestSent?: boolean;
}

/**
 * A failed call to the Flinks API. `kind` says what to do: `reauthorize` (the RequestId is
 * gone: call /Authorize again), `transient` (back off and retry), `terminal` (give up and show
 * `flinksCode`). Messages are built from the code only — never from the upstream body, the
 * URL or headers — so no secret, token or loginId can leak through them.
 */
export class FlinksApiError extends FlinkitProxyError {
  readonly kind: FlinksErrorKind;
  readonly endpoint: string;
  readonly flinksCode: string | null;
  readonly httpStatus: number | null;
  readonly retryAfterMs: number | undefined;
  /** False only when the request certainly never reached Flinks. */
  readonly requestSent: boolean;

  constructor(options: FlinksApiErrorOptions) {
    super({
      code: 'flinks_error',
      message: options.message,
      recoverable: options.recoverable,
      status: 502,
    });
    this.name = 'FlinksApiError';
    this.kind = options.kind;
    this.endpoint = options.endpoint;
    this.flinksCode = options.flinksCode;
    this.httpStatus = options.httpStatus;
    this.retryAfterMs = options.retryAfterMs;
    this.requestSent = options.requestSent ?? true;
  }

  /** True for a {@link FlinksApiError}, even from another copy of the package. */
  static override isInstance(value: unknown): value is FlinksApiError {
    return FlinkitProxyError.isInstance(value) && 'kind' in value && 'endpoint' in value;
  }
}
