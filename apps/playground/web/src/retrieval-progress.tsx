import type { Connection } from '@flinkit/core';
import { useEffect, useState } from 'react';
import { secondsUntil } from './format';

const LABELS: Record<Connection['status'], string> = {
  pending: 'Queued on the proxy',
  authorizing: 'Authorizing with Flinks',
  processing: 'Flinks is gathering the accounts',
  ready: 'Accounts retrieved',
  failed: 'Retrieval failed',
  timed_out: 'Flinks took too long',
};

/** Human words for a retrieval status. */
export function statusLabel(status: Connection['status']): string {
  return LABELS[status];
}

/** The proxy's retrieval status: what it is doing, how many polls, and when the next one is. */
export function RetrievalProgress({ connection }: { connection: Connection | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const next = secondsUntil(connection?.nextPollAt ?? null, now);
  return (
    <section className="panel" aria-labelledby="progress-heading" data-testid="progress">
      <h2 id="progress-heading">Retrieving your accounts</h2>
      <p role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" />{' '}
        {connection === null ? 'Handing the link to the proxy…' : statusLabel(connection.status)}
      </p>
      {connection === null ? null : (
        <dl className="facts">
          <div>
            <dt>Status</dt>
            <dd>
              <code>{connection.status}</code>
            </dd>
          </div>
          <div>
            <dt>Attempt</dt>
            <dd>{connection.attempt}</dd>
          </div>
          <div>
            <dt>Next poll</dt>
            <dd>{next === null ? '—' : `in ${next} s`}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
