import type { AccountSummary } from '@flinkit/core/wire';

/**
 * The summary view of a GetAccountsDetail payload: titles, types, balances, masked numbers
 * and transaction counts — nothing that would let someone move money. Unknown or missing
 * fields become null; a payload without `Accounts` gives an empty list.
 */
export function summarizeAccounts(payload: Record<string, unknown>): AccountSummary[] {
  const accounts = Array.isArray(payload.Accounts) ? payload.Accounts : [];
  return accounts.flatMap((account: unknown, index) => {
    if (!isRecord(account)) return [];
    const balance = isRecord(account.Balance) ? account.Balance : {};
    const summary: AccountSummary = {
      id: stringOr(account.Id, `account-${index + 1}`),
      title: stringOr(account.Title, 'Account'),
      type: stringOr(account.Type, null),
      category: stringOr(account.Category, null),
      currency: stringOr(account.Currency, 'CAD'),
      maskedNumber: maskAccountNumber(account.LastFourDigits, account.AccountNumber),
      balance: {
        available: numberOr(balance.Available),
        current: numberOr(balance.Current),
        limit: numberOr(balance.Limit),
      },
      transactionCount: Array.isArray(account.Transactions) ? account.Transactions.length : 0,
    };
    return [summary];
  });
}

/**
 * `•••1234`: the last four digits, from `LastFourDigits` or a full number longer than four
 * digits (a number of four digits or fewer is not shown at all); null when there is none.
 */
export function maskAccountNumber(lastFour: unknown, accountNumber: unknown): string | null {
  const given = typeof lastFour === 'string' ? lastFour.replace(/\D/g, '') : '';
  if (given.length > 0) return `•••${given.slice(-4)}`;
  const digits = typeof accountNumber === 'string' ? accountNumber.replace(/\D/g, '') : '';
  return digits.length > 4 ? `•••${digits.slice(-4)}` : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOr<T extends string | null>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
