import { delay, type HttpHandler, HttpResponse, http } from 'msw';
import { handleApiRequest, settleOutcome } from './api.js';
import type { Clock } from './clock.js';
import { createLogin, issueToken } from './logins.js';
import { completeRequest, replaceFaults } from './simulator-helpers.js';
import { createState } from './state.js';
import type {
  FaultRule,
  HeldRequest,
  LoginOptions,
  RequestLogEntry,
  SimulatorOptions,
} from './types.js';

/** Options of {@link createFlinksHandlers}: the simulator's, plus where the API answers. */
export interface FlinksHandlersOptions extends Omit<SimulatorOptions, 'port' | 'webhook'> {
  /** Default `https://toolbox-api.private.fin.ag`; `/v3/{customerId}/BankingServices/*` is appended. */
  baseUrl?: string;
}

/** msw handlers with the simulator's API behaviour, and the same test helpers. */
export interface FlinksHandlers {
  handlers: HttpHandler[];
  baseUrl: string;
  customerId: string;
  secretKey: string;
  apiKey: string;
  clock: Clock;
  createLogin(username: string, options?: LoginOptions): string;
  createAuthorizeToken(): string;
  requests(): RequestLogEntry[];
  /** The GetAccountsDetail POSTs held open right now (see `holdDetailMs`). */
  heldRequests(): HeldRequest[];
  clearRequests(): void;
  setFaults(rules: FaultRule[]): void;
  completeRequest(requestId: string): void;
  /** Cancels pending clock tasks and held requests (call in afterEach/afterAll). */
  dispose(): void;
}

/**
 * The simulated Flinks API as msw handlers (no server, no port). Faults work too: `reset`
 * becomes a network error. The Connect iframe and webhooks need {@link startSimulator}.
 *
 * @example
 * const flinks = createFlinksHandlers({ clock: createManualClock() });
 * const server = setupServer(...flinks.handlers);
 * server.listen({ onUnhandledRequest: 'error' });
 * const loginId = flinks.createLogin('greatday_nomfa');
 */
export function createFlinksHandlers(options: FlinksHandlersOptions = {}): FlinksHandlers {
  const state = createState(options);
  const baseUrl = (options.baseUrl ?? 'https://toolbox-api.private.fin.ag').replace(/\/+$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const handler = http.all(`${baseUrl}/v3/*`, async ({ request }) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const method = request.method.toUpperCase();
    const body = method === 'GET' || method === 'HEAD' ? '' : await request.text();
    const path = new URL(request.url).pathname.slice(basePath.length);
    const first = handleApiRequest(state, { method, path, headers, body });
    if (first.delayMs > 0) await delay(first.delayMs);
    const outcome = await settleOutcome(state, first, request.signal);
    if (!outcome || outcome.type === 'reset') return HttpResponse.error();
    return new HttpResponse(outcome.body, { status: outcome.status, headers: outcome.headers });
  });
  return {
    handlers: [handler],
    baseUrl,
    customerId: state.config.customerId,
    secretKey: state.config.secretKey,
    apiKey: state.config.apiKey,
    clock: state.clock,
    createLogin: (username, loginOptions) => createLogin(state, username, loginOptions ?? {}).id,
    createAuthorizeToken: () => issueToken(state),
    requests: () => state.log.map((entry) => ({ ...entry })),
    heldRequests: () => [...state.held].map((entry) => ({ ...entry })),
    clearRequests: () => {
      state.log.length = 0;
    },
    setFaults: (rules) => replaceFaults(state, rules),
    completeRequest: (requestId) => completeRequest(state, requestId),
    dispose: () => {
      state.shutdown.abort();
      state.scheduler.stop();
    },
  };
}
