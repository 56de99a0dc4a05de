import type { Connection } from '@flinkit/core';
import { createProxyClient } from '@flinkit/core';
import { useEffect, useState } from 'react';
import { type AccountsView, toAccountsView } from './accounts-model';
import { getDemoToken, listConnections } from './api';
import { formatDate, formatMoney } from './format';
import { statusLabel } from './retrieval-progress';

function AccountsSummary({ proxyUrl, connectionId }: { proxyUrl: string; connectionId: string }) {
  const [view, setView] = useState<AccountsView | null>(null);
  useEffect(() => {
    let current = true;
    createProxyClient({ baseUrl: proxyUrl, getToken: getDemoToken })
      .getAccounts(connectionId)
      .then((response) => {
        if (current) setView(toAccountsView(response));
      })
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [proxyUrl, connectionId]);
  if (view === null) return null;
  return (
    <ul className="account-summary">
      {view.accounts.map((account) => (
        <li key={account.id}>
          {account.title} {account.maskedNumber ?? ''}:{' '}
          {formatMoney(account.balance.current, account.currency)}
        </li>
      ))}
    </ul>
  );
}

/** The demo user's connections (`GET /v1/connections`), with their accounts when ready. */
export function ConnectionsList({ proxyUrl }: { proxyUrl: string }) {
  const [connections, setConnections] = useState<Connection[] | Error | null>(null);
  useEffect(() => {
    let current = true;
    listConnections(proxyUrl).then(
      (list) => {
        if (current) setConnections(list);
      },
      (error: unknown) => {
        if (current) setConnections(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return () => {
      current = false;
    };
  }, [proxyUrl]);

  if (connections === null) return <p aria-busy="true">Loading your connections…</p>;
  if (connections instanceof Error) {
    return (
      <p role="alert" className="error">
        Could not list the connections: {connections.message}
      </p>
    );
  }
  if (connections.length === 0) {
    return (
      <p data-testid="no-connections">
        No connections yet. Link a test bank with the <a href="/react/">React demo</a> or the{' '}
        <a href="/script-tag.html">script-tag demo</a>.
      </p>
    );
  }
  return (
    <table data-testid="connections">
      <caption>Connections of demo-user, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Institution</th>
          <th scope="col">Status</th>
          <th scope="col">Started</th>
          <th scope="col">Accounts</th>
        </tr>
      </thead>
      <tbody>
        {connections.map((connection) => (
          <tr key={connection.id} data-testid="connection">
            <td>{connection.institution ?? '—'}</td>
            <td>
              <span className={`badge badge-${connection.status}`}>
                {statusLabel(connection.status)}
              </span>
              {connection.error === null ? null : (
                <div className="muted">{connection.error.message}</div>
              )}
            </td>
            <td>{formatDate(connection.startedAt, true)}</td>
            <td>
              {connection.status === 'ready' ? (
                <>
                  <AccountsSummary proxyUrl={proxyUrl} connectionId={connection.id} />
                  <a href={`/react/?connection=${encodeURIComponent(connection.id)}`}>
                    View accounts
                  </a>
                </>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
