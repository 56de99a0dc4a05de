import { render, screen, waitFor } from '@testing-library/react';
import { expect } from 'vitest';
import { FlinksConnect } from './flinks-connect';
import { type FakeProxy, PROXY_URL, USER_TOKEN } from './test-proxy';
import type { UseFlinksConnectOptions } from './use-flinks-connect';

/** The newer REDIRECT shape, as the Connect iframe posts it after a successful link. */
export const REDIRECT = {
  step: 'REDIRECT',
  loginId: 'login-1',
  requestId: 'request-1',
  institution: 'FlinksCapital',
};

/** Options that reach the fake proxy as the signed-in test user. */
export function connectOptions(
  proxy: FakeProxy,
  overrides: Partial<UseFlinksConnectOptions> = {},
): UseFlinksConnectOptions {
  return {
    proxyUrl: PROXY_URL,
    getToken: () => USER_TOKEN,
    eventSource: proxy.eventSource,
    ...overrides,
  };
}

/**
 * Renders `<FlinksConnect>` in a region named `label`, with `"<status> <attempt>"` below the
 * iframe in `<label>-status`; `rerenderWith` re-renders it with other options.
 */
export function renderConnect(
  proxy: FakeProxy,
  props: Partial<UseFlinksConnectOptions> = {},
  label = 'bank',
) {
  const ui = (next: Partial<UseFlinksConnectOptions>) => (
    <section aria-label={label}>
      <FlinksConnect {...connectOptions(proxy, next)}>
        {(flinks) => (
          <p data-testid={`${label}-status`}>
            {flinks.status} {flinks.connection?.attempt ?? '-'}
          </p>
        )}
      </FlinksConnect>
    </section>
  );
  const result = render(ui(props));
  return {
    ...result,
    rerenderWith: (next: Partial<UseFlinksConnectOptions>) => result.rerender(ui(next)),
  };
}

/** Waits until the status line of `label` starts with `status`. */
export async function statusOf(label: string, status: string): Promise<void> {
  await waitFor(() =>
    expect(screen.getByTestId(`${label}-status`).textContent).toMatch(
      new RegExp(`^${status}( |$)`),
    ),
  );
}
