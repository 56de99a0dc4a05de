// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { FlinksConnect } from './flinks-connect';
import { useFlinksConnect } from './use-flinks-connect';

function Custom() {
  const flinks = useFlinksConnect({ proxyUrl: 'https://proxy.test' });
  return (
    <div>
      <iframe {...flinks.iframeProps} />
      <p>status: {flinks.status}</p>
    </div>
  );
}

describe('server rendering', () => {
  it('renders the idle state without a window, a request or an error', () => {
    expect(typeof window).toBe('undefined');
    const fetch = vi.fn<typeof globalThis.fetch>();
    const html = renderToString(
      <FlinksConnect proxyUrl="https://proxy.test" fetch={fetch}>
        {(flinks) => <p>status: {flinks.status}</p>}
      </FlinksConnect>,
    );
    expect(html).toContain('status: <!-- -->idle');
    expect(html).not.toContain('<iframe');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('renders a hook user’s iframe without src, with its title and sandbox', () => {
    const html = renderToString(<Custom />);
    expect(html).toMatch(
      /<iframe title="Connect your bank account" sandbox="allow-scripts [^"]*"><\/iframe>/,
    );
    expect(html).toContain('idle');
  });
});
