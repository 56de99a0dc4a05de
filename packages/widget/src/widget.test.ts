import type { AccountsResponse, FlinksConnectOptions, FlinksConnectState } from '@flinkit/core';
import { fireEvent, screen } from '@testing-library/dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWidget } from './create-widget.js';
import { connection, createFakeConnect, summary } from './test-fake-connect.js';
import type { WidgetHandle, WidgetLanguage } from './types.js';

const widgets: WidgetHandle[] = [];

/**
 * A mounted widget over a hand-driven Connect: `connect.set()` changes the flow's state,
 * `complete()` finishes it and `accounts` settles the accounts request it makes.
 */
function setup(state: Partial<FlinksConnectState>, language: WidgetLanguage = 'en') {
  const container = document.body.appendChild(document.createElement('div'));
  const connect = createFakeConnect(state);
  const accounts: { resolve: (response: AccountsResponse) => void; reject: () => void } = {
    resolve: () => {},
    reject: () => {},
  };
  let options: FlinksConnectOptions | undefined;
  const widget = createWidget(
    container,
    { proxyUrl: 'https://proxy.test', language },
    {
      createConnect: (connectOptions) => {
        options = connectOptions;
        return connect;
      },
      createClient: () => ({
        getAccounts: () =>
          new Promise<AccountsResponse>((resolve, reject) => {
            Object.assign(accounts, { resolve, reject });
          }),
      }),
    },
  );
  widgets.push(widget);
  const complete = (patch: Partial<FlinksConnectState> = {}) => {
    connect.set({ status: 'complete', ...patch });
    options?.onComplete?.(connection({ status: 'ready' }));
  };
  return { connect, container, widget, accounts, complete };
}

afterEach(() => {
  for (const widget of widgets.splice(0)) widget.destroy();
  document.body.innerHTML = '';
  document.head.innerHTML = '';
  vi.useRealTimers();
});

describe('Widget', () => {
  it.each(['idle', 'loading'] as const)('shows a progress indicator when %s', (status) => {
    const { container } = setup({ status });
    expect(screen.getByText('Connecting securely…')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Connecting securely…' })).toBeTruthy();
    expect(container.querySelector('iframe')).toBeNull();
  });

  it('renders the Connect iframe with a title and attaches it to the core', () => {
    const url = 'https://toolbox-iframe.private.fin.ag/v2/?authorizeToken=t1';
    const { connect } = setup({ status: 'ready', url });
    const iframe = screen.getByTitle('Connect your bank with Flinks') as HTMLIFrameElement;
    expect(iframe.getAttribute('src')).toBe(url);
    expect(iframe.getAttribute('sandbox')).toContain('allow-scripts');
    expect(connect.attached).toBe(iframe);
  });

  it('attaches the iframe once and says ready once, however often it re-renders', () => {
    const { connect, container } = setup({ status: 'ready', url: 'https://c.test/v2/' });
    const iframe = container.querySelector('iframe');
    const ready = vi.fn();
    container.addEventListener('flinkit:ready', ready);
    connect.set({ status: 'linking', step: 'INSTITUTION_SELECTED' });
    connect.set({ step: 'SUBMIT_CREDENTIAL', institution: 'FlinksCapital' });
    expect(container.querySelector('iframe')).toBe(iframe);
    expect(connect.attach).toHaveBeenCalledTimes(1);
    expect(connect.attached).toBe(iframe);
    expect(ready).not.toHaveBeenCalled();
  });

  it('keeps the iframe while linking and drops it (detached) once linked', () => {
    const { connect, container } = setup({ status: 'linking', url: 'https://c.test/v2/' });
    expect(container.querySelector('iframe')).not.toBeNull();
    connect.set({ status: 'linked', loginId: 'login-1' });
    expect(container.querySelector('iframe')).toBeNull();
    expect(connect.attached).toBeNull();
    expect(screen.getByText('Bank linked. Getting your accounts…')).toBeTruthy();
  });

  it('counts down to the next poll every second and shows the attempt', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:03.000Z') });
    const nextPollAt = '2026-01-01T00:00:10.000Z';
    const { connect } = setup({
      status: 'retrieving',
      connection: connection({ attempt: 2, nextPollAt }),
    });
    expect(screen.getByText('Getting your accounts…')).toBeTruthy();
    const countdown = screen.getByText('Attempt 2 · next check in 7 s');
    // A timer, so screen readers do not announce every second of it.
    expect(countdown.getAttribute('role')).toBe('timer');
    await vi.advanceTimersByTimeAsync(1000);
    expect(screen.getByText('Attempt 2 · next check in 6 s')).toBe(countdown);
    connect.set({ connection: connection({ attempt: 3, nextPollAt: null }) });
    expect(screen.getByText('Attempt 3')).toBeTruthy();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops the countdown on destroy()', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00.000Z') });
    const { widget, container } = setup({
      status: 'retrieving',
      connection: connection({ nextPollAt: '2026-01-01T00:00:10.000Z' }),
    });
    expect(vi.getTimerCount()).toBe(1);
    widget.destroy();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3000);
    expect(container.childNodes).toHaveLength(0);
  });

  it('says it is loading the accounts, then lists them with masked numbers and balances', async () => {
    const { complete, accounts } = setup({ status: 'retrieving' });
    complete({ institution: 'FlinksCapital' });
    expect(screen.getByText('Getting your accounts…')).toBeTruthy();
    accounts.resolve(summary);
    await vi.waitFor(() => expect(screen.getByText('Accounts linked')).toBeTruthy());
    expect(screen.getByText(/FlinksCapital/)).toBeTruthy();
    expect(screen.getByText('Chequing Account •••1238')).toBeTruthy();
    expect(screen.getByText('$5,105.50')).toBeTruthy();
    expect(screen.getByText('Visa')).toBeTruthy();
    expect(screen.getByText('—')).toBeTruthy();
  });

  it('still says the accounts are linked when they could not be read', async () => {
    const { complete, accounts, container } = setup({ status: 'retrieving' });
    complete({ institution: 'FlinksCapital' });
    accounts.reject();
    await vi.waitFor(() => expect(screen.getByText('Accounts linked')).toBeTruthy());
    expect(screen.getByText(/FlinksCapital/)).toBeTruthy();
    expect(container.querySelector('li')).toBeNull();
  });

  it('shows the error with a keyboard-usable retry button that retries', () => {
    const { connect } = setup({
      status: 'error',
      error: { code: 'flinks_error', message: 'x', recoverable: true },
    });
    expect(screen.getByText('We could not link your bank.')).toBeTruthy();
    const button = screen.getByRole('button', { name: 'Try again' });
    expect(button.getAttribute('type')).toBe('button');
    button.focus();
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    expect(connect.retry).toHaveBeenCalledTimes(1);
    // A later render (here a new error) keeps the button, and the keyboard focus on it.
    connect.set({ error: { code: 'network_error', message: 'y', recoverable: true } });
    expect(screen.getByRole('button', { name: 'Try again' })).toBe(button);
    expect(document.activeElement).toBe(button);
  });

  it('explains a timeout', () => {
    setup({
      status: 'error',
      connection: connection({ status: 'timed_out' }),
      error: { code: 'timed_out', message: 'x', recoverable: true },
    });
    expect(screen.getByText('Your bank is taking too long to answer.')).toBeTruthy();
  });

  it('offers to start again after Connect was closed', () => {
    const { connect } = setup({ status: 'closed' });
    expect(connect.start).toHaveBeenCalledTimes(1); // the session the widget opens on mount
    expect(screen.getByText('Connect was closed.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(connect.start).toHaveBeenCalledTimes(2);
  });

  it('announces the status politely and never uses inline styles', () => {
    const { connect, container } = setup({ status: 'loading' });
    const region = screen.getByRole('status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    const states: Partial<FlinksConnectState>[] = [
      { status: 'ready', url: 'https://c.test/v2/' },
      { status: 'retrieving', connection: connection({ nextPollAt: new Date().toISOString() }) },
      { status: 'complete' },
      { status: 'error', error: { code: 'x', message: 'x', recoverable: false } },
      { status: 'closed' },
    ];
    for (const state of states) {
      connect.set(state);
      expect(container.querySelectorAll('[style]')).toHaveLength(0);
    }
  });
});

describe('Widget in French', () => {
  it('speaks French in every state', async () => {
    const { connect, container, complete, accounts } = setup({ status: 'loading' }, 'fr');
    expect(container.querySelector('.flinkit')?.getAttribute('lang')).toBe('fr');
    expect(screen.getByText('Connexion sécurisée…')).toBeTruthy();
    connect.set({ status: 'ready', url: 'https://c.test/v2/' });
    expect(screen.getByTitle('Connectez votre banque avec Flinks')).toBeTruthy();
    connect.set({ status: 'linked' });
    expect(screen.getByText('Banque liée. Récupération de vos comptes…')).toBeTruthy();
    connect.set({ status: 'retrieving', connection: connection({ attempt: 4 }) });
    expect(screen.getByText('Tentative 4')).toBeTruthy();
    connect.set({ status: 'error', error: { code: 'x', message: 'x', recoverable: true } });
    expect(screen.getByText('Nous n’avons pas pu lier votre banque.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Réessayer' })).toBeTruthy();
    connect.set({ status: 'error', error: { code: 'timed_out', message: 'x', recoverable: true } });
    expect(screen.getByText('Votre banque tarde à répondre.')).toBeTruthy();
    connect.set({ status: 'closed' });
    expect(screen.getByText('Connect a été fermé.')).toBeTruthy();
    complete();
    accounts.resolve(summary);
    await vi.waitFor(() => expect(screen.getByText('Comptes liés')).toBeTruthy());
    // fr-CA: space-grouped digits, decimal comma, the symbol after the amount.
    expect(screen.getByText(/^5\s105,50\s\$$/u)).toBeTruthy();
  });

  it('formats the countdown in French', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00.000Z') });
    setup(
      {
        status: 'retrieving',
        connection: connection({ attempt: 1, nextPollAt: '2026-01-01T00:00:10.000Z' }),
      },
      'fr',
    );
    expect(screen.getByText('Tentative 1 · prochaine vérification dans 10 s')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(3000);
    expect(screen.getByText('Tentative 1 · prochaine vérification dans 7 s')).toBeTruthy();
  });
});
