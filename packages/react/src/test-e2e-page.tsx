// The page of the end-to-end test: `<FlinksConnect>` against a real proxy, built with Vite.
import { StrictMode, version } from 'react';
import { createRoot } from 'react-dom/client';
import { FlinksConnect } from './index';

declare global {
  interface Window {
    /** Set by the test before the page loads (Playwright `addInitScript`). */
    FLINKIT_E2E: { proxyUrl: string; token: string };
    /** Every `onLinked` call, for the test to read. */
    FLINKIT_LINKED: Array<{ loginId: string; institution: string | null }>;
  }
}

const { proxyUrl, token } = window.FLINKIT_E2E;
window.FLINKIT_LINKED = [];

function App() {
  return (
    <main>
      <p data-testid="react-version">{version}</p>
      <FlinksConnect
        proxyUrl={proxyUrl}
        getToken={() => token}
        className="connect"
        onLinked={(result) => window.FLINKIT_LINKED.push(result)}
      >
        {(flinks) => (
          <>
            <output data-testid="status" data-status={flinks.status}>
              {flinks.status} attempt={flinks.connection?.attempt ?? 0}{' '}
              {flinks.error ? `error=${flinks.error.code}: ${flinks.error.message}` : ''}
            </output>
            <p data-testid="institution">{flinks.institution}</p>
          </>
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
