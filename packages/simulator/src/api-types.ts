/** A request to the simulated API, independent of the transport. */
export interface ApiRequest {
  method: string;
  /** The URL path, e.g. `/v3/<customerId>/BankingServices/Authorize`. */
  path: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw body ('' when none). */
  body: string;
}

/**
 * The answer: a response, a connection reset, or a hold (answer later, once the clock reaches
 * `until`: call `resume()` then). `delayMs` is real time to wait first.
 */
export type ApiOutcome =
  | {
      type: 'response';
      status: number;
      headers: Record<string, string>;
      body: string;
      delayMs: number;
    }
  | { type: 'reset'; delayMs: number }
  | {
      type: 'hold';
      until: number;
      delayMs: number;
      /** The answer once the clock reached `until`. */
      resume: () => ApiOutcome;
      /** Forget the hold (the client went away or the simulator closed). */
      abandon: () => void;
    };

/** What an endpoint handler produced, before serialisation and logging. */
export interface EndpointResult {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  requestId?: string | null;
  loginId?: string | null;
  /** Hold the connection until the clock reaches `until`, then answer `answer()` instead. */
  hold?: { until: number; answer: () => EndpointResult };
}

/** A Flinks error body `{HttpStatusCode, FlinksCode, Message}` with its status. */
export function flinksError(
  status: number,
  flinksCode: string,
  message: string,
  context: { requestId?: string | null; loginId?: string | null } = {},
): EndpointResult {
  return {
    status,
    body: { HttpStatusCode: status, FlinksCode: flinksCode, Message: message },
    ...context,
  };
}

/** Parses a JSON object body leniently; null when it is not a JSON object. */
export function parseJsonObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** A non-empty string field, or undefined. */
export function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Flinks' LastRefresh format: UTC ISO-8601 without the `Z`. */
export function flinksTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, -1);
}
