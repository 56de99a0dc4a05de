import type { Clock } from './clock.js';
import { createConnectApi } from './connect-api.js';
import { createConnectPage } from './connect-page.js';
import { SimulatorError } from './errors.js';
import { createLogin, issueToken } from './logins.js';
import { listen } from './server.js';
import { completeRequest, replaceFaults } from './simulator-helpers.js';
import { createState } from './state.js';
import type {
  FaultRule,
  HeldRequest,
  LoginOptions,
  RequestLogEntry,
  SimulatorOptions,
} from './types.js';
import { createWebhookSender, type WebhookDelivery } from './webhooks.js';

/** A running simulator: the API and the Connect iframe on one local origin. */
export interface Simulator {
  /** `http://127.0.0.1:PORT`; also the iframe's postMessage origin. */
  url: string;
  /** Equal to `url`; a Flinks client appends `/v3/{customerId}/BankingServices/…`. */
  apiUrl: string;
  /** `${url}/v2/`, the Connect iframe page. */
  connectUrl: string;
  customerId: string;
  secretKey: string;
  apiKey: string;
  clock: Clock;
  /** Every API request so far (oldest first), a copy. */
  requests(): RequestLogEntry[];
  /**
   * The GetAccountsDetail POSTs held open right now (`holdDetailMs`, `test_dispatched`), a copy.
   * A held request is logged in `requests()` once it answers.
   */
  heldRequests(): HeldRequest[];
  clearRequests(): void;
  /** Replaces the fault rules (and their hit counts). */
  setFaults(rules: FaultRule[]): void;
  /**
   * A loginId as if `username` had linked through Connect (tests that skip the iframe).
   * `holdDetailMs` holds this login's GetAccountsDetail POSTs (overrides the option);
   * `lastRefreshError` makes its last refresh a failed one (cached Authorize replays it).
   * Throws `SimulatorError('unknown_username')` for a username outside the Toolbox table.
   */
  createLogin(username: string, options?: LoginOptions): string;
  /** Mints an authorize token (as /GenerateAuthorizeToken would), e.g. for an iframe URL. */
  createAuthorizeToken(): string;
  /** Finishes the processing of `requestId` now. Throws `unknown_request_id` if it is not live. */
  completeRequest(requestId: string): void;
  /**
   * POSTs the GetAccountsDetail payload (+ `ResponseType`) to `options.webhook.url` now; on a
   * non-200 the remaining attempts follow on the clock. Throws `webhook_not_configured`.
   */
  sendWebhook(requestId: string): Promise<{ delivered: boolean; attempts: number }>;
  /** Resolves once no webhook delivery is in flight (tests). */
  webhooksIdle(): Promise<void>;
  /** Closes the server and every socket, and cancels timers. */
  close(): Promise<void>;
}

/**
 * Starts the simulated Flinks on 127.0.0.1 (a free port by default).
 *
 * @example
 * const sim = await startSimulator({ clock: createManualClock() });
 * const loginId = sim.createLogin('greatday_nomfa');
 * // point your Flinks client at sim.apiUrl with sim.customerId, sim.secretKey, sim.apiKey
 * await sim.close();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const state = createState(options);
  const webhooks = options.webhook ? createWebhookSender(state, options.webhook) : null;
  const page = createConnectPage(createConnectApi(state), state.config.redirectShape);
  const running = await listen(state, page, options.port ?? 0);
  const url = `http://127.0.0.1:${running.port}`;
  let closed = false;
  return {
    url,
    apiUrl: url,
    connectUrl: `${url}/v2/`,
    customerId: state.config.customerId,
    secretKey: state.config.secretKey,
    apiKey: state.config.apiKey,
    clock: state.clock,
    requests: () => state.log.map((entry) => ({ ...entry })),
    heldRequests: () => [...state.held].map((entry) => ({ ...entry })),
    clearRequests: () => {
      state.log.length = 0;
    },
    setFaults: (rules) => replaceFaults(state, rules),
    createLogin: (username, loginOptions) => createLogin(state, username, loginOptions ?? {}).id,
    createAuthorizeToken: () => issueToken(state),
    completeRequest: (requestId) => completeRequest(state, requestId),
    sendWebhook: async (requestId) => {
      if (!webhooks) {
        throw new SimulatorError(
          'webhook_not_configured',
          'Pass options.webhook to startSimulator() to send webhooks.',
        );
      }
      const delivery: WebhookDelivery = await webhooks.send(requestId);
      return delivery;
    },
    webhooksIdle: async () => {
      await webhooks?.idle();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      state.shutdown.abort();
      state.scheduler.stop();
      await running.close();
      await webhooks?.idle();
    },
  };
}
