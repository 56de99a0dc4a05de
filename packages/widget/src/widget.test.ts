import { type FlinksConnectState, IFRAME_SANDBOX } from '@flinkit/core';
import { fireEvent, screen } from '@testing-library/dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWidget } from './create-widget.js';
import { connection, createFakeConnect, summary } from './test-fake-connect.js';
import type { WidgetHandle, WidgetLanguage } from './types.js';

const widgets: WidgetHandle[] = [];
const URL_1 = 'https://toolbox-iframe.private.fin.ag/v2/?authorizeToken=t1';
const iframeError = { code: 'flinks_error', message: 'x', recoverable: true };

/** An inline widget over a hand-driven Connect: `connect.set()` changes the flow's state. */
function setup(state: Partial<FlinksConnectState>, language: WidgetLanguage = 'en') {
  const container = document.body.appendChild(document.createElement('div'));
  const connect = createFakeConnect(state);
  const widget = createWidget(
    container,
    { proxyUrl: 'https://proxy.test', language },
    { createConnect: () => connect },
  );
  widgets.push(widget);
  return { connect, container, widget };
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

  it('renders the Connect iframe with a title and the core sandbox, and attaches it', () => {
    const { connect } = setup({ status: 'ready', url: URL_1 });
    const iframe = screen.getByTitle('Connect your bank with Flinks') as HTMLIFrameElement;
    expect(iframe.getAttribute('src')).toBe(URL_1);
    expect(iframe.getAttribute('sandbox')).toBe(IFRAME_SANDBOX);
    expect(iframe.hasAttribute('allow')).toBe(false);
    expect(connect.attached).toBe(iframe);
  });

  it('attaches the iframe once and says ready once, however often it re-renders', () => {
    const { connect, container } = setup({ status: 'ready', url: URL_1 });
    const iframe = container.querySelector('iframe');
    const ready = vi.fn();
    container.addEventListener('flinkit:ready', ready);
    connect.set({ status: 'linking', step: 'INSTITUTION_SELECTED' });
    connect.set({ step: 'SUBMIT_CREDENTIAL', institution: 'FlinksCapital' });
    connect.set({ url: `${URL_1}-renewed` });
    expect(container.querySelector('iframe')).toBe(iframe);
    expect(iframe?.getAttribute('src')).toBe(`${URL_1}-renewed`);
    expect(connect.attach).toHaveBeenCalledTimes(1);
    expect(ready).not.toHaveBeenCalled();
  });

  it('keeps the iframe beside an error Connect reported, with a retry', () => {
    const { connect, container } = setup({ status: 'linking', url: URL_1 });
    const iframe = container.querySelector('iframe');
    connect.set({ status: 'error', error: { ...iframeError, flinksCode: 'NEW_ACCOUNT' } });
    // Connect shows its own explanation and the customer may pick another bank there.
    expect(container.querySelector('iframe')).toBe(iframe);
    expect(screen.getByText('We could not link your bank.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    // The same code from the retrieval (after a link) is not Connect's: no iframe.
    connect.set({ loginId: 'login-1' });
    expect(container.querySelector('iframe')).toBeNull();
  });

  it('drops the iframe once linked, and moves the focus it had to the status', () => {
    const { connect, container } = setup({ status: 'linking', url: URL_1 });
    const iframe = container.querySelector('iframe')!;
    iframe.focus();
    expect(document.activeElement).toBe(iframe);
    connect.set({ status: 'linked', loginId: 'login-1' });
    expect(container.querySelector('iframe')).toBeNull();
    expect(connect.attached).toBeNull();
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('Bank linked. Getting your accounts…');
    expect(document.activeElement).toBe(status);
  });

  it('leaves the page focus alone when the widget did not have it', () => {
    const { connect } = setup({ status: 'linking', url: URL_1 });
    const outside = document.body.appendChild(document.createElement('input'));
    outside.focus();
    connect.set({ status: 'linked', loginId: 'login-1' });
    expect(document.activeElement).toBe(outside);
  });

  it('counts down to the next poll every second, changing only the text', async () => {
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
    const progress = screen.getByRole('progressbar');
    await vi.advanceTimersByTimeAsync(1000);
    expect(screen.getByText('Attempt 2 · next check in 6 s')).toBe(countdown);
    expect(screen.getByRole('progressbar')).toBe(progress);
    connect.set({ connection: connection({ attempt: 3, nextPollAt: null }) });
    expect(screen.getByText('Attempt 3')).toBe(countdown);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops the countdown on destroy() and leaves the host empty', async () => {
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

  it('lists the accounts with masked numbers and balances once complete', () => {
    setup({ status: 'complete', institution: 'FlinksCapital', accounts: summary });
    expect(screen.getByText('Accounts linked')).toBeTruthy();
    expect(screen.getByText(/FlinksCapital/)).toBeTruthy();
    const rows = screen.getAllByRole('listitem').map((row) => row.textContent);
    expect(rows).toEqual(['Chequing Account •••1238$5,105.50', 'Visa—']);
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('still says the accounts are linked when they could not be read', () => {
    const { container } = setup({ status: 'complete', institution: 'FlinksCapital' });
    expect(screen.getByText('Accounts linked')).toBeTruthy();
    expect(screen.getByText(/FlinksCapital/)).toBeTruthy();
    expect(container.querySelector('li')).toBeNull();
  });

  it('asks the customer to reconnect when the data is a stale cached copy', () => {
    const stale = {
      code: 'reconnect_required',
      message: 'Reconnect.',
      recoverable: true,
      flinksCode: 'QUESTION_NOT_FOUND',
    };
    const { connect } = setup({
      status: 'complete',
      accounts: summary,
      connection: connection({ status: 'ready', stale }),
    });
    expect(
      screen.getByText('Your bank needs you to sign in again. These balances may be out of date.'),
    ).toBeTruthy();
    // The accounts still show.
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    // retry() from `complete` starts a new Connect session.
    expect(connect.retry).toHaveBeenCalledTimes(1);
  });

  it('shows the error with a retry button that keeps the focus across re-renders', () => {
    const { connect } = setup({
      status: 'error',
      error: { code: 'network_error', message: 'x', recoverable: true },
    });
    expect(screen.getByText('We could not link your bank.')).toBeTruthy();
    const button = screen.getByRole('button', { name: 'Try again' });
    expect(button.getAttribute('type')).toBe('button');
    button.focus();
    fireEvent.click(button);
    expect(connect.retry).toHaveBeenCalledTimes(1);
    // A later render (here a new error) keeps the button, and the keyboard focus on it.
    connect.set({ error: { code: 'rate_limited', message: 'y', recoverable: true } });
    expect(screen.getByRole('button', { name: 'Try again' })).toBe(button);
    expect(document.activeElement).toBe(button);
    // Once it is gone, the focus goes to the status rather than the page's start.
    connect.set({ status: 'loading', error: null });
    expect(document.activeElement).toBe(screen.getByRole('status'));
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
    expect(connect.start).toHaveBeenCalledTimes(1); // the session an inline widget opens on mount
    expect(screen.getByText('Connect was closed.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(connect.retry).toHaveBeenCalledTimes(1);
  });

  it('announces the status politely and never uses inline styles', () => {
    const { connect, container } = setup({ status: 'loading' });
    const region = screen.getByRole('status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    const states: Partial<FlinksConnectState>[] = [
      { status: 'ready', url: URL_1 },
      { status: 'retrieving', connection: connection({ nextPollAt: new Date().toISOString() }) },
      { status: 'complete', accounts: summary },
      { status: 'error', error: { code: 'x', message: 'x', recoverable: false } },
      { status: 'closed' },
    ];
    for (const state of states) {
      connect.set(state);
      expect(screen.getByRole('status')).toBe(region);
      expect(container.querySelectorAll('[style]')).toHaveLength(0);
    }
  });
});

describe('Widget in French', () => {
  it('speaks French in every state', () => {
    const { connect, container } = setup({ status: 'loading' }, 'fr');
    expect(container.querySelector('.flinkit')?.getAttribute('lang')).toBe('fr');
    expect(screen.getByText('Connexion sécurisée…')).toBeTruthy();
    connect.set({ status: 'ready', url: URL_1 });
    expect(screen.getByTitle('Connectez votre banque avec Flinks')).toBeTruthy();
    connect.set({ status: 'linked', loginId: 'l1' });
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
    connect.set({
      status: 'complete',
      accounts: summary,
      connection: connection({
        status: 'ready',
        stale: { code: 'reconnect_required', message: 'm', recoverable: true },
      }),
    });
    expect(screen.getByText('Comptes liés')).toBeTruthy();
    expect(screen.getByText(/^Votre banque vous demande de vous reconnecter/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Se reconnecter' })).toBeTruthy();
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
