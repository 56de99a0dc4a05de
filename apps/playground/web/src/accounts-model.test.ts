import type { AccountsResponse } from '@flinkit/core';
import { describe, expect, it } from 'vitest';
import { maskAccountNumber, toAccountsView } from './accounts-model';

const full: AccountsResponse = {
  view: 'full',
  connectionId: 'c1',
  institution: null,
  retrievedAt: '2025-02-01T10:00:00.000Z',
  payload: {
    Institution: 'FlinksCapital',
    Accounts: [
      {
        Id: 'a1',
        Title: 'Chequing Account',
        AccountNumber: '7641238',
        Balance: { Available: 5405.5, Current: 5105.5, Limit: null },
        Category: 'Operations',
        Type: 'Chequing',
        Currency: 'CAD',
        Transactions: [
          {
            Id: 't1',
            Date: '2025-01-30',
            Description: 'Coffee',
            Debit: 4.5,
            Credit: null,
            Balance: 5105.5,
          },
          {
            Id: 't2',
            Date: '2025-01-31',
            Description: 'Pay',
            Debit: null,
            Credit: 1500,
            Balance: 5110,
          },
          {
            Id: 't3',
            Date: '2025-01-29',
            Description: 'Rent',
            Debit: 1000,
            Credit: null,
            Balance: 3610,
          },
        ],
      },
      { Title: 'Mystery', Balance: 'oops', Transactions: 'nope' },
    ],
  },
};

describe('toAccountsView', () => {
  it('reads the full Flinks payload, newest transaction first, numbers masked', () => {
    const view = toAccountsView(full);
    expect(view.institution).toBe('FlinksCapital');
    const [chequing] = view.accounts;
    expect(chequing).toMatchObject({
      id: 'a1',
      title: 'Chequing Account',
      type: 'Chequing',
      category: 'Operations',
      maskedNumber: '•••1238',
      balance: { available: 5405.5, current: 5105.5, limit: null },
      transactionCount: 3,
    });
    expect(chequing?.transactions.map((transaction) => transaction.id)).toEqual(['t2', 't1', 't3']);
    expect(JSON.stringify(view)).not.toContain('7641238');
  });

  it('survives malformed accounts without throwing', () => {
    const mystery = toAccountsView(full).accounts[1];
    expect(mystery).toMatchObject({
      title: 'Mystery',
      currency: 'CAD',
      maskedNumber: null,
      balance: { available: null, current: null, limit: null },
      transactions: [],
    });
  });

  it('keeps the summary view as it is, without transactions', () => {
    const view = toAccountsView({
      view: 'summary',
      connectionId: 'c1',
      institution: 'FlinksCapital',
      retrievedAt: '2025-02-01T10:00:00.000Z',
      accounts: [
        {
          id: 'a1',
          title: 'Savings',
          type: 'Savings',
          category: 'Operations',
          currency: 'CAD',
          maskedNumber: '•••9999',
          balance: { available: 1, current: 2, limit: null },
          transactionCount: 12,
        },
      ],
    });
    expect(view.accounts[0]).toMatchObject({
      title: 'Savings',
      transactionCount: 12,
      transactions: [],
    });
  });
});

describe('maskAccountNumber', () => {
  it('keeps the last four digits only', () => {
    expect(maskAccountNumber('12-3456 789')).toBe('•••6789');
    expect(maskAccountNumber('12')).toBe('•••12');
    expect(maskAccountNumber(null)).toBeNull();
    expect(maskAccountNumber('n/a')).toBeNull();
  });
});
