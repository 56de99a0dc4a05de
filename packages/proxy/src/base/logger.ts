import { type DestinationStream, type Level, type Logger as PinoLogger, pino } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Default `info`; `silent` turns logging off. */
  level?: Level | 'silent';
  /** Where JSON lines go; default stdout. Tests pass a stream to capture and scan them. */
  destination?: DestinationStream;
}

/** The pino logger type the proxy uses. */
export type FlinkitLogger = PinoLogger;

/** Minimal structured logger (pino-compatible). Never pass secrets or loginIds to it. */
export interface Logger {
  debug(object: Record<string, unknown>, message?: string): void;
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

/** A {@link Logger} that drops everything. */
export const SILENT_LOGGER: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const SENSITIVE_KEYS = [
  'secret',
  'secretKey',
  'apiKey',
  'token',
  'authorizeToken',
  'ticket',
  'loginId',
  'LoginId',
  'password',
  'accountNumber',
  'AccountNumber',
  'TransitNumber',
  'payload',
  'body',
];

/**
 * Paths pino replaces with `[Redacted]`: secrets, tokens, loginIds, account numbers, payloads
 * and the credential headers, at the top level and one or two levels down.
 */
export const REDACT_PATHS: string[] = [
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((key) => `*.${key}`),
  ...SENSITIVE_KEYS.map((key) => `*.*.${key}`),
  ...['authorization', 'flinks-auth-key', 'x-api-key', 'cookie', 'flinks-authenticity-key'].flatMap(
    (header) => [`headers["${header}"]`, `*.headers["${header}"]`],
  ),
];

/** How long a line may wait in the stdout buffer. */
const FLUSH_EVERY_MS = 500;

/**
 * A pino JSON logger with {@link REDACT_PATHS} redacted. Without a `destination` it writes to
 * stdout through a buffer: lines leave in 4 KB writes, or after at most 500 ms, and whatever is
 * left is written at exit. One write per request line was a large share of a status request.
 *
 * @example
 * const logger = createLogger({ level: 'debug' });
 */
export function createLogger(options: LoggerOptions = {}): FlinkitLogger {
  const settings = {
    level: options.level ?? 'info',
    base: { name: 'flinkit' },
    redact: { paths: REDACT_PATHS },
  };
  if (options.destination) return pino(settings, options.destination);
  const stdout = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => stdout.flush(), FLUSH_EVERY_MS).unref();
  return pino(settings, stdout);
}

/** Removes the query string (which may carry an SSE ticket) from a URL, for logs. */
export function pathOnly(url: string): string {
  const end = url.search(/[?#]/);
  const head = end === -1 ? url : url.slice(0, end);
  const scheme = head.indexOf('://');
  if (scheme === -1) return head;
  const slash = head.indexOf('/', scheme + 3);
  return slash === -1 ? '/' : head.slice(slash);
}

/**
 * Makes an unexpected error's text safe to log: the given secret values, GUIDs (Flinks
 * loginIds and RequestIds), JWT-like strings and runs of 6+ digits (account numbers) are
 * replaced. Errors of our own classes never carry these; third-party errors might.
 */
export function createScrubber(
  secrets: ReadonlyArray<string | undefined>,
): (text: string) => string {
  const values = secrets.filter(
    (value): value is string => typeof value === 'string' && value.length >= 6,
  );
  return (text) => {
    let result = text;
    for (const value of values) result = result.split(value).join('[Redacted]');
    return result
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '[id]')
      .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]')
      .replace(/\d{6,}/g, '[digits]');
  };
}
