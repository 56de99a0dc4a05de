import { act, render, waitFor } from '@testing-library/react';
import { Activity } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { FlinksConnect } from './flinks-connect';
import { getIframe, postFromIframe } from './test-iframe';
import { connectOptions, REDIRECT, statusOf } from './test-render';
import { setupFakeProxy } from './test-setup';

// React 19.2+ only (<Activity>), so vitest.react18.config.ts leaves this file out rather than
// skipping it: every test that is collected runs.
const proxy = setupFakeProxy();

describe('<FlinksConnect> in <Activity>', () => {
  it('starts a fresh session when a hidden <Activity> shows it again', async () => {
    // A hidden <Activity> runs effect cleanups without unmounting.
    const onLinked = vi.fn();
    const ui = (mode: 'hidden' | 'visible') => (
      <Activity mode={mode}>
        <FlinksConnect {...connectOptions(proxy.current, { onLinked })}>
          {(flinks) => <p data-testid="bank-status">{`${flinks.status} `}</p>}
        </FlinksConnect>
      </Activity>
    );
    const { rerender } = render(ui('visible'));
    await statusOf('bank', 'ready');
    rerender(ui('hidden'));
    await act(() => Promise.resolve());
    rerender(ui('visible'));
    await waitFor(() => expect(getIframe().getAttribute('src')).toMatch(/authorizeToken=token-2/));
    await statusOf('bank', 'ready');
    expect(proxy.current.sessionCount).toBe(2);

    act(() => postFromIframe(getIframe(), REDIRECT));
    await statusOf('bank', 'retrieving');
    expect(onLinked).toHaveBeenCalledTimes(1);
  });
});
