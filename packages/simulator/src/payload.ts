import { loginBody } from './api-authorize.js';
import { type Account, generateAccountsDetail } from './data.js';
import type { DetailQuery, SessionRecord, SimulatorState } from './state.js';
import { findInstitution } from './toolbox.js';

/** What GetAccountsDetail returns when a field is not sent. */
export const DEFAULT_DETAIL_QUERY: DetailQuery = {
  withAccountIdentity: true,
  withKyc: true,
  withTransactions: true,
  days: 90,
  accountsFilter: null,
};

/** Reads the GetAccountsDetail body leniently (unknown fields ignored, missing = default). */
export function parseDetailQuery(body: Record<string, unknown>): DetailQuery {
  const flag = (key: string, fallback: boolean) =>
    typeof body[key] === 'boolean' ? (body[key] as boolean) : fallback;
  const days = body.DaysOfTransactions;
  const filter = Array.isArray(body.AccountsFilter)
    ? body.AccountsFilter.filter((id): id is string => typeof id === 'string')
    : null;
  return {
    withAccountIdentity: flag('WithAccountIdentity', true),
    withKyc: flag('WithKYC', flag('WithKyc', true)),
    withTransactions: flag('WithTransactions', true),
    // The old gem sent Days360; treat it as the long window too.
    days: days === 'Days365' || days === 'Days360' ? 365 : 90,
    accountsFilter: filter && filter.length > 0 ? filter : null,
  };
}

/**
 * The GetAccountsDetail 200 body of `session`. The webhook payload (`forWebhook`) is the same
 * without the `AccountsFilter`: Flinks pushes it after the session, not in answer to a call
 * that could filter it, so it carries every account (help.flinks.com 43000436150 "Using Tag and
 * Webhooks with Flinks Connect"; no page says a webhook honours the selection).
 */
export function buildAccountsPayload(
  state: SimulatorState,
  session: SessionRecord,
  { forWebhook = false }: { forWebhook?: boolean } = {},
): Record<string, unknown> {
  const login = state.logins.get(session.loginId);
  if (!login) throw new Error(`login ${session.loginId} vanished`);
  const asked = session.query ?? DEFAULT_DETAIL_QUERY;
  const query = forWebhook ? { ...asked, accountsFilter: null } : asked;
  const accounts = cachedAccounts(state, login.id, login.institution, session.createdAt, query.days)
    .filter((account) => !query.accountsFilter || query.accountsFilter.includes(account.Id))
    .map((account) => shapeAccount(account, query));
  return {
    HttpStatusCode: 200,
    Accounts: accounts,
    InstitutionName: login.institution,
    InstitutionId: findInstitution(login.institution)?.id ?? null,
    Institution: login.institution,
    Login: loginBody(login),
    RequestId: session.id,
    ...(session.tag ? { Tag: session.tag } : {}),
  };
}

const CACHE_SIZE = 256;
const DAY_MS = 86_400_000;

function cachedAccounts(
  state: SimulatorState,
  loginId: string,
  institution: string,
  now: number,
  days: 90 | 365,
): Account[] {
  const key = `${loginId}|${institution}|${Math.floor(now / DAY_MS)}|${days}`;
  let accounts = state.accountsCache.get(key);
  if (!accounts) {
    accounts = generateAccountsDetail({ loginId, seed: state.config.seed, institution, now, days });
    if (state.accountsCache.size >= CACHE_SIZE) {
      const oldest = state.accountsCache.keys().next().value;
      if (oldest !== undefined) state.accountsCache.delete(oldest);
    }
    state.accountsCache.set(key, accounts);
  }
  return accounts;
}

function shapeAccount(account: Account, query: DetailQuery): Partial<Account> {
  const { AccountNumber, TransitNumber, InstitutionNumber, Holder, Transactions, ...rest } =
    account;
  return {
    ...rest,
    ...(query.withAccountIdentity ? { AccountNumber, TransitNumber, InstitutionNumber } : {}),
    ...(query.withKyc ? { Holder } : {}),
    ...(query.withTransactions ? { Transactions } : {}),
  };
}
