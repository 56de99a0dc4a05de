// The page of the end-to-end test: `<FlinksConnect>` against a real proxy, built with Vite.
import { StrictMode, version } from 'react';
import { createRoot } from 'react-dom/client';
import { FlinksConnect } from './index';

declare global {
  interface Window {
    /** Set by the test before the page loads (Playwright `addInitScript`). */
    FLINKIT_E2E: { proxyUrl: string; token: string };
  }
}

const { proxyUrl, token } = window.FLINKIT_E2E;

function App() {
  return (
    <main>
      <p data-testid="react-version">{version}</p>
      <FlinksConnect proxyUrl={proxyUrl} getToken={() => token} className="connect">
        {(flinks) => (
          <output data-testid="status" data-status={flinks.status}>
            {flinks.status} attempt={flinks.connection?.attempt ?? 0}{' '}
            {flinks.error ? `error=${flinks.error.code}: ${flinks.error.message}` : ''}
          </output>
        )}
      </FlinksConnect>
    </main>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
