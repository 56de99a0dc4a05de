import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AccountsPanel } from './accounts-view';
import { loadConfig } from './api';
import { ConnectDemo } from './connect-demo';
import { Credentials, Layout } from './layout';
import './styles.css';

function ReactDemo({ proxyUrl, connectionId }: { proxyUrl: string; connectionId: string | null }) {
  if (connectionId !== null) {
    return (
      <Layout title="Accounts">
        <AccountsPanel proxyUrl={proxyUrl} connectionId={connectionId} />
        <p>
          <a href="/">All connections</a> · <a href="/react/">Link another account</a>
        </p>
      </Layout>
    );
  }
  return (
    <Layout title="React demo">
      <ConnectDemo proxyUrl={proxyUrl} />
      <Credentials />
    </Layout>
  );
}

const connectionId = new URLSearchParams(window.location.search).get('connection');
const root = createRoot(document.getElementById('root')!);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <ReactDemo proxyUrl={config.proxyUrl} connectionId={connectionId} />
      </StrictMode>,
    ),
  (error: unknown) => root.render(<p role="alert">{String(error)}</p>),
);
