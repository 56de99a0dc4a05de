// Contract cases shared by the node:http server and the msw handlers (not shipped).
import { afterEach } from 'vitest';
import { createManualClock, type ManualClock } from './clock.js';
import { describeAuthContract } from './test-contract-auth.js';
import { describeDetailContract } from './test-contract-detail.js';
import { describeFaultContract } from './test-contract-faults.js';
import type { FaultRule, HeldRequest, RequestLogEntry, SimulatorOptions } from './types.js';

/** What a transport under test exposes. */
export interface ContractTarget {
  /** Where `/v3/…` is appended. */
  apiUrl: string;
  customerId: string;
  secretKey: string;
  apiKey: string;
  createLogin(username: string, options?: { holdDetailMs?: number }): string;
  requests(): RequestLogEntry[];
  heldRequests(): HeldRequest[];
  setFaults(rules: FaultRule[]): void;
  completeRequest(requestId: string): void;
  close(): Promise<void>;
}

export type Json = Record<string, unknown> & { RequestId?: string; Token?: string };

/** Per-test target management and HTTP helpers for the contract suites. */
export function useContract(start: (options: SimulatorOptions) => Promise<ContractTarget>) {
  let target: ContractTarget;
  let clock: ManualClock;
  const open = async (options: SimulatorOptions = {}) => {
    clock = createManualClock();
    target = await start({ clock, ...options });
    return target;
  };
  afterEach(async () => {
    await target?.close();
  });

  const url = (endpoint: string, customerId = target.customerId) =>
    `${target.apiUrl}/v3/${customerId}/BankingServices/${endpoint}`;
  const call = async (
    method: string,
    endpoint: string,
    headers: Record<string, string>,
    body?: unknown,
  ) => {
    const response = await fetch(url(endpoint), {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return {
      status: response.status,
      body: (await response.json()) as Json,
      headers: response.headers,
    };
  };
  const token = async () =>
    (await call('POST', 'GenerateAuthorizeToken', { 'flinks-auth-key': target.secretKey })).body
      .Token as string;
  const authorize = async (
    loginId: string,
    extra: Record<string, unknown> = { MostRecentCached: true },
  ) =>
    call('POST', 'Authorize', { 'flinks-auth-key': await token() }, { LoginId: loginId, ...extra });
  const detail = (requestId: string, extra: Record<string, unknown> = {}) =>
    call(
      'POST',
      'GetAccountsDetail',
      { 'x-api-key': target.apiKey },
      { RequestId: requestId, ...extra },
    );
  const detailAsync = (requestId: string, method = 'GET') =>
    call(method, `GetAccountsDetailAsync/${requestId}`, { 'x-api-key': target.apiKey });
  const requestIdFor = async (username: string) => {
    const { body } = await authorize(target.createLogin(username));
    return body.RequestId as string;
  };

  return {
    get target() {
      return target;
    },
    get clock() {
      return clock;
    },
    open,
    url,
    call,
    token,
    authorize,
    detail,
    detailAsync,
    requestIdFor,
  };
}

/** Defines every shared contract suite against targets made by `start`. */
export function describeFlinksContract(
  label: string,
  start: (options: SimulatorOptions) => Promise<ContractTarget>,
): void {
  describeAuthContract(label, start);
  describeDetailContract(label, start);
  describeFaultContract(label, start);
}
