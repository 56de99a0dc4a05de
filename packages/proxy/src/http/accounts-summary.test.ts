import { describe, expect, it } from 'vitest';
import { maskAccountNumber, summarizeAccounts } from './accounts-summary';

describe('maskAccountNumber', () => {
  it('shows only the last four digits', () => {
    expect(maskAccountNumber(null, '7641238')).toBe('•••1238');
    expect(maskAccountNumber('9876', '12345678')).toBe('•••9876');
    expect(maskAccountNumber(null, '12-3456-789')).toBe('•••6789');
  });

  it('hides a number of four digits or fewer, and missing numbers', () => {
    expect(maskAccountNumber(null, '1234')).toBeNull();
    expect(maskAccountNumber(null, null)).toBeNull();
  });
});

describe('summarizeAccounts', () => {
  it('tolerates missing and odd fields', () => {
    expect(
      summarizeAccounts({
        Accounts: [{}, 'junk', { Balance: { Current: 'x' }, Transactions: 'no' }],
      }),
    ).toEqual([
      {
        id: 'account-1',
        title: 'Account',
        type: null,
        category: null,
        currency: 'CAD',
        maskedNumber: null,
        balance: { available: null, current: null, limit: null },
        transactionCount: 0,
      },
      {
        id: 'account-3',
        title: 'Account',
        type: null,
        category: null,
        currency: 'CAD',
        maskedNumber: null,
        balance: { available: null, current: null, limit: null },
        transactionCount: 0,
      },
    ]);
    expect(summarizeAccounts({})).toEqual([]);
  });
});
