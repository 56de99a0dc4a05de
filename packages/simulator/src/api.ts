import { deleteCard, getAccountsDetail, getAccountsDetailAsync } from './api-accounts.js';
import { authorize, generateAuthorizeToken } from './api-authorize.js';
import {
  type ApiOutcome,
  type ApiRequest,
  type EndpointResult,
  flinksError,
  parseJsonObject,
  stringField,
} from './api-types.js';
import { decideFaults, faultFlinksCode, MALFORMED_BODY } from './faults.js';
import type { SimulatorState } from './state.js';
import type { FaultRule, HeldRequest } from './types.js';

type Route = {
  name: string;
  methods: readonly string[];
  run: (state: SimulatorState, request: ApiRequest, param: string | undefined) => EndpointResult;
};

const ROUTES: readonly Route[] = [
  { name: 'GenerateAuthorizeToken', methods: ['POST'], run: generateAuthorizeToken },
  { name: 'Authorize', methods: ['POST'], run: authorize },
  { name: 'GetAccountsDetail', methods: ['POST'], run: getAccountsDetail },
  // node-flinks polls with POST; the docs say GET. Both work.
  { name: 'GetAccountsDetailAsync', methods: ['GET', 'POST'], run: getAccountsDetailAsync },
  { name: 'DeleteCard', methods: ['DELETE'], run: deleteCard },
];

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * The simulated Banking Services API, once, for every transport: routes `request`, applies
 * faults, updates the state and appends to the request log.
 */
export function handleApiRequest(state: SimulatorState, request: ApiRequest): ApiOutcome {
  state.scheduler.runDue();
  const at = state.clock.now();
  const match = /^\/v3\/([^/]+)\/BankingServices\/([^/?#]+)(?:\/([^/?#]+))?\/?$/i.exec(
    request.path,
  );
  const route = ROUTES.find(
    (candidate) => candidate.name.toLowerCase() === match?.[2]?.toLowerCase(),
  );
  const endpoint = route?.name ?? match?.[2] ?? request.path;
  const { delayMs, rule } = decideFaults(state, endpoint);
  const bodyIds = idsFromBody(request.body);
  const pathParam = match?.[3] ? safeDecode(match[3]) : undefined;
  if (pathParam && route?.name === 'GetAccountsDetailAsync') bodyIds.requestId = pathParam;
  if (pathParam && route?.name === 'DeleteCard') bodyIds.loginId = pathParam;
  const log = (
    status: number,
    result: Partial<EndpointResult>,
    fault?: FaultRule['kind'],
    held = false,
  ) => {
    state.log.push({
      at,
      method: request.method.toUpperCase(),
      endpoint,
      requestId: result.requestId ?? bodyIds.requestId ?? null,
      loginId: result.loginId ?? bodyIds.loginId ?? null,
      status,
      flinksCode: typeof result.body?.FlinksCode === 'string' ? result.body.FlinksCode : null,
      ...(fault ? { fault } : {}),
      ...(held ? { heldMs: state.clock.now() - at } : {}),
    });
  };

  if (rule) return faultOutcome(rule, delayMs, log);

  const result =
    route && match
      ? runRoute(state, request, route, match)
      : notFound(request.path, Boolean(match));
  const respond = (answer: EndpointResult, delay: number, held = false): ApiOutcome => {
    log(answer.status, answer, undefined, held);
    return {
      type: 'response',
      status: answer.status,
      headers: { ...JSON_HEADERS, ...answer.headers },
      body: JSON.stringify(answer.body),
      delayMs: delay,
    };
  };
  const { hold } = result;
  if (!hold) return respond(result, delayMs);
  const held: HeldRequest = {
    at,
    endpoint,
    requestId: result.requestId ?? '',
    loginId: result.loginId ?? '',
    until: hold.until,
  };
  state.held.add(held);
  return {
    type: 'hold',
    until: hold.until,
    delayMs,
    resume: () => {
      state.held.delete(held);
      return respond(hold.answer(), 0, true);
    },
    abandon: () => {
      state.held.delete(held);
    },
  };
}

/** A final answer: a response or a reset. */
export type SettledOutcome = Exclude<ApiOutcome, { type: 'hold' }>;

/**
 * Waits out the hold of `outcome` on the simulator's clock (a manual clock moves it with
 * `advance`) and returns the final answer; null when the simulator closed or `signal` aborted
 * first (the transport then drops the connection).
 */
export async function settleOutcome(
  state: SimulatorState,
  outcome: ApiOutcome,
  signal?: AbortSignal,
): Promise<SettledOutcome | null> {
  let current = outcome;
  while (current.type === 'hold') {
    if (!(await clockReaches(state, current.until, signal))) {
      current.abandon();
      return null;
    }
    current = current.resume();
  }
  return current;
}

function clockReaches(
  state: SimulatorState,
  until: number,
  signal?: AbortSignal,
): Promise<boolean> {
  return new Promise((resolve) => {
    if (state.shutdown.signal.aborted || signal?.aborted) return resolve(false);
    // One set of waiters for the shutdown, not one listener per held request on its signal.
    const settle = (reached: boolean) => {
      state.holdWaiters.delete(stop);
      signal?.removeEventListener('abort', stop);
      resolve(reached);
    };
    const stop = () => settle(false);
    state.holdWaiters.add(stop);
    signal?.addEventListener('abort', stop, { once: true });
    state.scheduler.at(until, () => settle(true));
  });
}

function runRoute(
  state: SimulatorState,
  request: ApiRequest,
  route: Route,
  match: RegExpExecArray,
): EndpointResult {
  if (match[1] !== state.config.customerId) {
    return flinksError(
      401,
      'UNAUTHORIZED',
      'Unknown customerId: use the customerId of your Flinks instance in the URL.',
    );
  }
  if (!route.methods.includes(request.method.toUpperCase())) {
    return flinksError(
      405,
      'METHOD_NOT_AVAILABLE',
      `${route.name} accepts ${route.methods.join(' or ')} only.`,
    );
  }
  return route.run(state, request, match[3] ? safeDecode(match[3]) : undefined);
}

function notFound(path: string, underBankingServices: boolean): EndpointResult {
  const hint = underBankingServices
    ? 'this endpoint is not simulated'
    : 'use /v3/{customerId}/BankingServices/{Endpoint}';
  return flinksError(404, 'NOT_FOUND', `No endpoint at ${path}: ${hint}.`);
}

function faultOutcome(
  rule: FaultRule,
  delayMs: number,
  log: (status: number, result: Partial<EndpointResult>, fault: FaultRule['kind']) => void,
): ApiOutcome {
  if (rule.kind === 'reset') {
    log(0, {}, 'reset');
    return { type: 'reset', delayMs };
  }
  if (rule.kind === 'malformed') {
    log(200, {}, 'malformed');
    return {
      type: 'response',
      status: 200,
      headers: { ...JSON_HEADERS },
      body: MALFORMED_BODY,
      delayMs,
    };
  }
  const status = rule.kind === 'rate-limit' ? 429 : (rule.status ?? 503);
  const result = flinksError(
    status,
    faultFlinksCode(status),
    rule.kind === 'rate-limit'
      ? 'Too many requests: retry after the Retry-After delay.'
      : 'Simulated upstream failure: retry later.',
  );
  log(status, result, rule.kind);
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (rule.kind === 'rate-limit') headers['retry-after'] = String(rule.retryAfterSeconds ?? 1);
  return { type: 'response', status, headers, body: JSON.stringify(result.body), delayMs };
}

function idsFromBody(body: string): {
  requestId?: string | undefined;
  loginId?: string | undefined;
} {
  const parsed = body ? parseJsonObject(body) : null;
  if (!parsed) return {};
  const requestId = stringField(parsed, 'RequestId');
  const loginId = stringField(parsed, 'LoginId');
  return { ...(requestId ? { requestId } : {}), ...(loginId ? { loginId } : {}) };
}

/** decodeURIComponent that keeps malformed escapes as they are (never throws). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
