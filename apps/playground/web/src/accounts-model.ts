import type { AccountsResponse } from '@flinkit/core';

/** One transaction as the demo shows it. */
export interface TransactionView {
  id: string;
  /** `YYYY-MM-DD`, as Flinks sends it. */
  date: string;
  description: string;
  debit: number | null;
  credit: number | null;
  /** Running balance after this transaction. */
  balance: number | null;
}

/** One account as the demo shows it; never a full account number. */
export interface AccountView {
  id: string;
  title: string;
  type: string | null;
  category: string | null;
  currency: string;
  /** `•••1238`, or null when there is no number. */
  maskedNumber: string | null;
  balance: { available: number | null; current: number | null; limit: number | null };
  transactionCount: number;
  /** Newest first; empty in the summary view. */
  transactions: TransactionView[];
}

/** What `GET /v1/connections/:id/accounts` returned, normalised for display. */
export interface AccountsView {
  view: 'summary' | 'full';
  institution: string | null;
  retrievedAt: string;
  accounts: AccountView[];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function amount(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** `•••` and the last four digits of a number; null when there are no digits. */
export function maskAccountNumber(number: string | null): string | null {
  const digits = number?.replace(/\D/g, '') ?? '';
  return digits === '' ? null : `•••${digits.slice(-4)}`;
}

function toTransaction(value: unknown, index: number): TransactionView {
  const item = record(value);
  return {
    id: text(item.Id) ?? String(index),
    date: text(item.Date) ?? '',
    description: text(item.Description) ?? '',
    debit: amount(item.Debit),
    credit: amount(item.Credit),
    balance: amount(item.Balance),
  };
}

function toFullAccount(value: unknown, index: number): AccountView {
  const item = record(value);
  const balance = record(item.Balance);
  const transactions = (Array.isArray(item.Transactions) ? item.Transactions : []).map(
    toTransaction,
  );
  // Newest first; a stable sort keeps Flinks' order within a day.
  transactions.sort((left, right) => right.date.localeCompare(left.date));
  return {
    id: text(item.Id) ?? String(index),
    title: text(item.Title) ?? 'Account',
    type: text(item.Type),
    category: text(item.Category),
    currency: text(item.Currency) ?? 'CAD',
    maskedNumber: maskAccountNumber(text(item.AccountNumber) ?? text(item.LastFourDigits)),
    balance: {
      available: amount(balance.Available),
      current: amount(balance.Current),
      limit: amount(balance.Limit),
    },
    transactionCount: transactions.length,
    transactions,
  };
}

/** Normalises both views of the proxy's accounts answer (summary, or the full Flinks payload). */
export function toAccountsView(response: AccountsResponse): AccountsView {
  if (response.view === 'summary') {
    return {
      view: 'summary',
      institution: response.institution,
      retrievedAt: response.retrievedAt,
      accounts: response.accounts.map((account) => ({ ...account, transactions: [] })),
    };
  }
  const accounts = Array.isArray(response.payload.Accounts) ? response.payload.Accounts : [];
  return {
    view: 'full',
    institution: response.institution ?? text(response.payload.Institution),
    retrievedAt: response.retrievedAt,
    accounts: accounts.map(toFullAccount),
  };
}
