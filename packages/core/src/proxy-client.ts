import { FlinkitError } from './flinkit-error';
import type { EventSourceFactory, GetToken, Timers } from './types';
import { type WatchOptions, watchConnection } from './watch-connection';
import type {
  AccountsResponse,
  Connection,
  ConnectionListResponse,
  ConnectionResponse,
  CreateConnectionRequest,
  CreateSessionRequest,
  CreateSessionResponse,
  ErrorInfo,
  TicketResponse,
} from './wire';

export interface ProxyClientOptions {
  /** Base URL of the flinkit proxy (absolute, or relative to the page); routes live under `/v1`. */
  baseUrl: string;
  /** The end user's bearer token, asked for on every call; without it, cookies authenticate. */
  getToken?: GetToken | undefined;
  /** Default: the global `fetch`, looked up on every call. */
  fetch?: typeof fetch | undefined;
  /** Default: the global `EventSource`; without one, `watch()` polls. */
  eventSource?: EventSourceFactory | undefined;
  /** Default: the global timers. */
  timers?: Timers | undefined;
  /** How often `watch()` polls and waits before reconnecting a stream, in ms. Default 2000. */
  pollInterval?: number | undefined;
}

/**
 * A typed client of the flinkit proxy's HTTP API (apps/docs/architecture.md#proxy-http-api). Every
 * failure is a `FlinkitError`.
 */
export interface ProxyClient {
  /** `POST /v1/connect/sessions`: a Connect iframe URL with a fresh authorize token. */
  createSession(body?: CreateSessionRequest): Promise<CreateSessionResponse>;
  /** `POST /v1/connections`: hands the REDIRECT's loginId to the proxy, which starts retrieving. */
  createConnection(body: CreateConnectionRequest): Promise<ConnectionResponse>;
  /** `GET /v1/connections/:id`. */
  getConnection(id: string): Promise<ConnectionResponse>;
  /** `GET /v1/connections`: the caller's connections, newest first. */
  listConnections(): Promise<ConnectionListResponse>;
  /**
   * `GET /v1/connections/:id/accounts`: the server's default view, or the one asked for
   * (`full` only where the server allows it; otherwise a 403 `view_not_allowed`).
   */
  getAccounts(id: string, view?: 'summary' | 'full'): Promise<AccountsResponse>;
  /** `POST /v1/connections/:id/refresh`: a new retrieval with the stored loginId. */
  refresh(id: string): Promise<ConnectionResponse>;
  /** `DELETE /v1/connections/:id`. */
  deleteConnection(id: string): Promise<void>;
  /** `POST /v1/connections/:id/ticket`: a one-time credential for the event stream. */
  createTicket(id: string): Promise<TicketResponse>;
  /**
   * Follows a connection until a terminal status: Server-Sent Events (a fresh ticket per
   * connection when `getToken` is set; resumes after the last seen version), falling back to
   * polling after 3 failed streams or without `EventSource`. Updates arrive in version order,
   * stale copies dropped. Returns `stop()`.
   */
  watch(id: string, onUpdate: (connection: Connection) => void, options?: WatchOptions): () => void;
}

/**
 * Creates the client of the flinkit proxy.
 *
 * @example
 * const client = createProxyClient({ baseUrl: 'https://api.example.com', getToken: () => token });
 * const { url } = await client.createSession({ language: 'fr' });
 */
export function createProxyClient(options: ProxyClientOptions): ProxyClient {
  const { getToken } = options;
  const base = options.baseUrl.replace(/\/+$/, '');
  const connection = (id: string, rest = '') => `/v1/connections/${encodeURIComponent(id)}${rest}`;

  const request = async <T>(method: string, path: string, body?: object): Promise<T> => {
    const token = await getToken?.();
    let response: Response;
    let text: string;
    try {
      response = await (options.fetch ?? fetch)(base + path, {
        method,
        headers: {
          accept: 'application/json',
          ...(body && { 'content-type': 'application/json' }),
          ...(token && { authorization: `Bearer ${token}` }),
        },
        body: body ? JSON.stringify(body) : null,
      });
      text = await response.text();
    } catch (cause) {
      throw new FlinkitError({
        code: 'network_error',
        message: `Could not reach the flinkit proxy (${method} ${path}); retry.`,
        recoverable: true,
        cause,
      });
    }
    let json: { error?: Partial<Record<keyof ErrorInfo, unknown>> } | undefined;
    try {
      json = JSON.parse(text || '{}');
    } catch {}
    const { ok, status } = response;
    if (ok && json) return json as T;
    const { code, message, recoverable, flinksCode } = json?.error ?? {};
    throw new FlinkitError(
      typeof code === 'string'
        ? {
            code,
            message: String(message ?? code),
            recoverable: recoverable === true,
            ...(typeof flinksCode === 'string' && { flinksCode }),
            status,
          }
        : {
            code: 'http_error',
            message: `The flinkit proxy answered ${method} ${path} with HTTP ${status}; retry later.`,
            recoverable: status > 499 || status === 429,
            status,
          },
    );
  };
  const route =
    <T>(method: string, rest?: string) =>
    (id: string) =>
      request<T>(method, connection(id, rest));

  const client: ProxyClient = {
    createSession: (body = {}) => request('POST', '/v1/connect/sessions', body),
    createConnection: (body) => request('POST', '/v1/connections', body),
    getConnection: route('GET'),
    listConnections: () => request('GET', '/v1/connections'),
    getAccounts: (id, view) =>
      request('GET', connection(id, view ? `/accounts?view=${view}` : '/accounts')),
    refresh: route('POST', '/refresh'),
    deleteConnection: route('DELETE'),
    createTicket: route('POST', '/ticket'),
    watch: (id, onUpdate, watchOptions) =>
      watchConnection(
        client,
        options,
        base + connection(id, '/events'),
        id,
        onUpdate,
        watchOptions,
      ),
  };
  return client;
}
