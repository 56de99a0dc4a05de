import { createProxyClient } from '@flinkit/core';
import { useEffect, useState } from 'react';
import { type AccountsView, type AccountView, toAccountsView } from './accounts-model';
import { getDemoToken } from './api';
import { BalanceChart } from './balance-chart';
import { formatDate, formatMoney } from './format';

const SHOWN_TRANSACTIONS = 8;

function AccountTable({ account }: { account: AccountView }) {
  const money = (value: number | null) => formatMoney(value, account.currency);
  return (
    <section className="account" aria-labelledby={`account-${account.id}`} data-testid="account">
      <h3 id={`account-${account.id}`}>
        {account.title} <span className="muted">{account.maskedNumber ?? ''}</span>
      </h3>
      <dl className="facts">
        <div>
          <dt>Type</dt>
          <dd>{[account.type, account.category].filter(Boolean).join(' · ') || '—'}</dd>
        </div>
        <div>
          <dt>Current</dt>
          <dd>{money(account.balance.current)}</dd>
        </div>
        <div>
          <dt>Available</dt>
          <dd>{money(account.balance.available)}</dd>
        </div>
        <div>
          <dt>Limit</dt>
          <dd>{money(account.balance.limit)}</dd>
        </div>
      </dl>
      {account.transactions.length > 0 ? (
        <>
          <BalanceChart account={account} />
          <table>
            <caption>
              Last {Math.min(SHOWN_TRANSACTIONS, account.transactions.length)} of{' '}
              {account.transactionCount} transactions
            </caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Description</th>
                <th scope="col" className="number">
                  Debit
                </th>
                <th scope="col" className="number">
                  Credit
                </th>
                <th scope="col" className="number">
                  Balance
                </th>
              </tr>
            </thead>
            <tbody>
              {account.transactions.slice(0, SHOWN_TRANSACTIONS).map((transaction) => (
                <tr key={transaction.id}>
                  <td>{formatDate(transaction.date)}</td>
                  <td>{transaction.description}</td>
                  <td className="number">
                    {transaction.debit === null ? '' : money(transaction.debit)}
                  </td>
                  <td className="number">
                    {transaction.credit === null ? '' : money(transaction.credit)}
                  </td>
                  <td className="number">{money(transaction.balance)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="muted">
          {account.transactionCount} transactions (not included in this view).
        </p>
      )}
    </section>
  );
}

/** Loads and shows the accounts of a ready connection (`createProxyClient().getAccounts`). */
export function AccountsPanel({
  proxyUrl,
  connectionId,
}: {
  proxyUrl: string;
  connectionId: string;
}) {
  const [result, setResult] = useState<AccountsView | Error | null>(null);
  useEffect(() => {
    let current = true;
    const client = createProxyClient({ baseUrl: proxyUrl, getToken: getDemoToken });
    client.getAccounts(connectionId).then(
      (response) => current && setResult(toAccountsView(response)),
      (error: unknown) =>
        current && setResult(error instanceof Error ? error : new Error(String(error))),
    );
    return () => {
      current = false;
    };
  }, [proxyUrl, connectionId]);

  if (result === null) return <p aria-busy="true">Loading the accounts…</p>;
  if (result instanceof Error) {
    return (
      <p role="alert" className="error">
        Could not load the accounts: {result.message}
      </p>
    );
  }
  return (
    <section aria-labelledby="accounts-heading" data-testid="accounts">
      <h2 id="accounts-heading">
        {result.accounts.length} account{result.accounts.length === 1 ? '' : 's'} at{' '}
        {result.institution ?? 'your bank'}
      </h2>
      <p className="muted">Retrieved {formatDate(result.retrievedAt, true)}</p>
      {result.accounts.map((account) => (
        <AccountTable key={account.id} account={account} />
      ))}
    </section>
  );
}
