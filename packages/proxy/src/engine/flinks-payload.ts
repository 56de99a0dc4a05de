import type { ErrorInfo } from '@flinkit/core/wire';
import type { ConnectionRow } from '../store/store';

/**
 * `Login.LastRefresh` of a Flinks body as ISO-8601 UTC, or null. Flinks writes it in UTC without
 * a zone (`2025-01-31T12:00:00.000`, docs.flinks.com Authorize: "LastRefresh is in UTC").
 */
export function lastRefreshOf(body: Record<string, unknown>): string | null {
  const login = body.Login;
  if (typeof login !== 'object' || login === null) return null;
  const value = (login as { LastRefresh?: unknown }).LastRefresh;
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/.test(value)
  ) {
    return null;
  }
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
  const time = Date.parse(zoned);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * The institution a Flinks answer names: `Institution` (Authorize, GetAccountsDetail), else
 * `InstitutionName` (newer GetAccountsDetail answers), or null. docs.flinks.com Authorize and
 * GetAccountsDetail response samples.
 */
export function institutionOf(body: Record<string, unknown>): string | null {
  for (const value of [body.Institution, body.InstitutionName]) {
    if (typeof value === 'string' && value.trim() !== '' && value.length <= 100)
      return value.trim();
  }
  return null;
}

/**
 * The connection's `stale` when a cached Authorize repeated the last refresh's error: the data
 * is Flinks' cached copy and only the customer can refresh it, through Connect.
 */
export function staleInfo(flinksCode: string): ErrorInfo {
  return {
    code: 'reconnect_required',
    message:
      'These accounts are the copy Flinks kept from its last successful refresh: the latest refresh at the bank did not finish. Ask the customer to reconnect through Flinks Connect to refresh them.',
    recoverable: true,
    flinksCode,
  };
}

/** The account selection stored with a connection; null = every account. */
export function accountIdsOf(
  connection: Pick<ConnectionRow, 'accountIds'> | null,
): string[] | null {
  if (!connection?.accountIds) return null;
  try {
    const ids: unknown = JSON.parse(connection.accountIds);
    return Array.isArray(ids) && ids.length > 0 ? ids.filter((id) => typeof id === 'string') : null;
  } catch {
    return null;
  }
}

/**
 * The payload with only the chosen accounts (`accountIds`; null keeps every account). Flinks'
 * webhooks and a cached answer may carry every account whatever `AccountsFilter` said.
 */
export function selectAccounts(
  payload: Record<string, unknown>,
  accountIds: readonly string[] | null,
): Record<string, unknown> {
  if (accountIds === null || !Array.isArray(payload.Accounts)) return payload;
  const chosen = new Set(accountIds);
  return {
    ...payload,
    Accounts: payload.Accounts.filter(
      (account: unknown) =>
        typeof account === 'object' &&
        account !== null &&
        chosen.has(String((account as { Id?: unknown }).Id)),
    ),
  };
}
