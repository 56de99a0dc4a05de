import { describe, expect, it } from 'vitest';
import { generateAccountsDetail } from './data.js';

const loginId = '5e0f7a3c-1b2d-4c8e-9f00-112233445566';
const cents = (value: number | null) => Math.round((value ?? 0) * 100);

describe('generateAccountsDetail', () => {
  it('gives the same accounts for the same seed and loginId, and others for another seed', () => {
    const first = generateAccountsDetail({ loginId, seed: 3, days: 365 });
    expect(generateAccountsDetail({ loginId, seed: 3, days: 365 })).toEqual(first);
    expect(generateAccountsDetail({ loginId, seed: 4, days: 365 })).not.toEqual(first);
    expect(generateAccountsDetail({ loginId: 'another', seed: 3, days: 365 })).not.toEqual(first);
  });

  it.each([90, 365] as const)('keeps running balances consistent over %i days', (days) => {
    for (const account of generateAccountsDetail({ loginId, days })) {
      const [newest, ...older] = account.Transactions;
      expect(cents(newest?.Balance ?? null)).toBe(cents(account.Balance.Current));
      account.Transactions.forEach((transaction, index) => {
        const previous = older[index];
        if (!previous) return;
        expect(cents(transaction.Balance) - cents(previous.Balance)).toBe(
          cents(transaction.Credit) - cents(transaction.Debit),
        );
      });
    }
  });

  it('returns dates within the window, newest first, and the 90-day list as a prefix of the 365-day one', () => {
    const now = Date.UTC(2025, 5, 30);
    const short = generateAccountsDetail({ loginId, now, days: 90 });
    const long = generateAccountsDetail({ loginId, now, days: 365 });
    for (const [index, account] of short.entries()) {
      const dates = account.Transactions.map((transaction) => transaction.Date);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(dates.every((date) => date >= '2025-04-02' && date <= '2025-06-30')).toBe(true);
      expect(long[index]?.Transactions.slice(0, account.Transactions.length)).toEqual(
        account.Transactions,
      );
      expect(long[index]?.Balance).toEqual(account.Balance);
    }
    expect(long[0]?.Transactions.at(-1)?.Date).toMatch(/^2024-07-0[1-9]$/);
  });

  it('builds plausible Canadian accounts: chequing, savings and a credit card with one holder', () => {
    const accounts = generateAccountsDetail({ loginId, institution: 'FlinksCapital' });
    expect(accounts.map((account) => account.Type)).toEqual(['Chequing', 'Savings', 'CreditCard']);
    for (const account of accounts) {
      expect(account.TransitNumber).toMatch(/^\d{5}$/);
      expect(account.InstitutionNumber).toBe('777');
      expect(account.AccountNumber).toMatch(/^\d{7}$/);
      expect(account.Currency).toBe('CAD');
      expect(account.Holder.Address.PostalCode).toMatch(/^[A-Z]\d[A-Z] \d[A-Z]\d$/);
      expect(account.Holder.Address.Country).toBe('CA');
      expect(account.Holder.Email).toMatch(/^[a-z.]+\d+@example\.com$/);
      expect(account.Transactions.length).toBeGreaterThan(0);
    }
    expect(accounts[2]?.LastFourDigits).toMatch(/^\d{4}$/);
  });
});
