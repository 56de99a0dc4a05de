'use client';

import { type AccountsResponse, createProxyClient } from '@flinkit/core';
import { useFlinksConnect } from '@flinkit/react';
import { useState } from 'react';

/** Where the catch-all route handler mounts the proxy; same origin, so the session cookie goes along. */
const PROXY_URL = '/api/flinkit';

const money = (amount: number | null, currency: string) =>
  amount === null
    ? '–'
    : new Intl.NumberFormat('en-CA', { style: 'currency', currency }).format(amount);

/** Connect, the retrieval's progress, then the accounts the proxy stored. */
export function LinkBank() {
  const [accounts, setAccounts] = useState<AccountsResponse | null>(null);
  // No getToken: the proxy identifies the caller by the app's own session cookie.
  const flinks = useFlinksConnect({
    proxyUrl: PROXY_URL,
    onComplete: async (connection) => {
      setAccounts(await createProxyClient({ baseUrl: PROXY_URL }).getAccounts(connection.id));
    },
  });

  return (
    <section>
      <p role="status" data-testid="status" data-status={flinks.status}>
        {flinks.status === 'retrieving'
          ? `Retrieving your accounts (attempt ${flinks.connection?.attempt ?? 0})…`
          : flinks.status}
      </p>
      {flinks.error && (
        <p className="error">
          {flinks.error.message}{' '}
          <button type="button" onClick={flinks.retry}>
            Retry
          </button>
        </p>
      )}
      {flinks.url && flinks.status !== 'complete' && (
        <iframe {...flinks.iframeProps} className="bank-iframe" />
      )}
      {accounts?.view === 'summary' && (
        <table data-testid="accounts">
          <thead>
            <tr>
              <th>Account</th>
              <th>Number</th>
              <th>Balance</th>
            </tr>
          </thead>
          <tbody>
            {accounts.accounts.map((account) => (
              <tr key={account.id}>
                <td>{account.title}</td>
                <td>{account.maskedNumber ?? '–'}</td>
                <td>{money(account.balance.current, account.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
