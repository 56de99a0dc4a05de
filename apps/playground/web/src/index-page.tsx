import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadConfig } from './api';
import { ConnectionsList } from './connections-list';
import { Credentials, Layout } from './layout';
import './styles.css';

function IndexPage({ proxyUrl }: { proxyUrl: string }) {
  return (
    <Layout title="flinkit playground">
      <p className="lead">
        Link a test bank through Flinks Connect and see the data your backend retrieves. Everything
        runs on this machine: a Flinks simulator, the flinkit proxy and these pages.
      </p>
      <div className="cards">
        <a className="card" href="/react/">
          <strong>React demo</strong>
          <span>
            useFlinksConnect: the iframe, live events, retrieval progress, accounts and a chart.
          </span>
        </a>
        <a className="card" href="/script-tag.html">
          <strong>Script-tag demo</strong>
          <span>
            One &lt;script&gt; tag and a data-flinkit element, with its DOM events logged.
          </span>
        </a>
      </div>
      <Credentials />
      <section className="panel" aria-labelledby="connections-heading">
        <h2 id="connections-heading">Your connections</h2>
        <ConnectionsList proxyUrl={proxyUrl} />
      </section>
    </Layout>
  );
}

const root = createRoot(document.getElementById('root')!);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <IndexPage proxyUrl={config.proxyUrl} />
      </StrictMode>,
    ),
  (error: unknown) => root.render(<p role="alert">{String(error)}</p>),
);
