import { useFlinksConnect } from '@flinkit/react';
import { AccountsPanel } from './accounts-view';
import { getDemoToken } from './api';
import { EventLog } from './event-log';
import { RetrievalProgress } from './retrieval-progress';

/** The React demo: Connect, its events, the retrieval progress, then the accounts. */
export function ConnectDemo({ proxyUrl }: { proxyUrl: string }) {
  const flow = useFlinksConnect({ proxyUrl, getToken: getDemoToken });
  const { status, error, connection } = flow;

  return (
    <div className="demo-grid">
      <div className="demo-main">
        <p className="status-line" data-testid="flow-status">
          Status: <code>{status}</code>
        </p>
        {status === 'idle' || status === 'loading' ? (
          <p aria-busy="true">Opening a Connect session…</p>
        ) : null}
        {flow.iframeVisible ? <iframe {...flow.iframeProps} className="connect-frame" /> : null}
        {status === 'linked' || status === 'retrieving' ? (
          <RetrievalProgress connection={connection} />
        ) : null}
        {status === 'error' && error !== null ? (
          <div role="alert" className="panel error" data-testid="flow-error">
            <h2>Something went wrong</h2>
            <p>{error.message}</p>
            <p className="muted">
              Code <code>{error.code}</code>
              {error.flinksCode === undefined ? null : (
                <>
                  {' '}
                  · Flinks <code>{error.flinksCode}</code>
                </>
              )}
            </p>
            <button type="button" onClick={() => void flow.retry()}>
              Retry
            </button>
          </div>
        ) : null}
        {status === 'closed' ? (
          <div className="panel">
            <p>You closed Connect.</p>
            <button type="button" onClick={() => void flow.start()}>
              Start again
            </button>
          </div>
        ) : null}
        {status === 'complete' && connection !== null ? (
          <>
            <AccountsPanel proxyUrl={proxyUrl} connectionId={connection.id} />
            <p>
              <a href="/react/">Link another account</a> · <a href="/">All connections</a>
            </p>
          </>
        ) : null}
      </div>
      <aside className="demo-side">
        <EventLog events={flow.events} />
      </aside>
    </div>
  );
}
