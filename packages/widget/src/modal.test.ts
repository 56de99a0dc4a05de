import type { FlinksConnectState } from '@flinkit/core';
import { fireEvent, screen } from '@testing-library/dom';
import { afterEach, describe, expect, it } from 'vitest';
import { createWidget } from './create-widget.js';
import { createFakeConnect } from './test-fake-connect.js';
import type { ExitDetail, WidgetHandle, WidgetOptions } from './types.js';

const URL_1 = 'https://toolbox-iframe.private.fin.ag/v2/?authorizeToken=t1';
const widgets: WidgetHandle[] = [];

/** A modal widget over a hand-driven Connect, its exits recorded. */
function setup(options: Partial<WidgetOptions> = {}, state: Partial<FlinksConnectState> = {}) {
  const host = document.body.appendChild(document.createElement('div'));
  const connect = createFakeConnect(state);
  const widget = createWidget(
    host,
    { proxyUrl: 'https://proxy.test', mode: 'modal', ...options },
    { createConnect: () => connect },
  );
  widgets.push(widget);
  const exits: ExitDetail[] = [];
  widget.on('exit', (detail) => exits.push(detail));
  const launcher = () =>
    screen.getByRole('button', { name: options.buttonLabel ?? 'Link your bank account' });
  return { host, connect, widget, exits, launcher };
}

const dialog = () => document.querySelector('dialog');
const locked = () => document.documentElement.classList.contains('flinkit-lock');

afterEach(() => {
  for (const widget of widgets.splice(0)) widget.destroy();
  document.body.innerHTML = '';
  document.head.innerHTML = '';
});

describe('modal mode', () => {
  it('renders only a launch button until opened, and starts no session before', () => {
    const { connect, launcher } = setup();
    expect(launcher().getAttribute('aria-haspopup')).toBe('dialog');
    expect(launcher().getAttribute('aria-expanded')).toBe('false');
    expect(dialog()).toBeNull();
    expect(screen.queryByRole('status')).toBeNull();
    expect(connect.start).not.toHaveBeenCalled();
  });

  it('opens a labelled modal dialog on click, starts the session and locks the page scroll', () => {
    const { connect, launcher } = setup({ buttonLabel: 'Verify your income' });
    launcher().focus();
    fireEvent.click(launcher());
    const opened = dialog()!;
    expect(opened.open).toBe(true);
    expect(opened.getAttribute('aria-modal')).toBe('true');
    const title = document.getElementById(opened.getAttribute('aria-labelledby')!);
    expect(title?.textContent).toBe('Verify your income');
    expect(launcher().getAttribute('aria-expanded')).toBe('true');
    expect(connect.start).toHaveBeenCalledTimes(1);
    expect(locked()).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
    // The status panel and, once ready, Connect live in the dialog.
    expect(opened.querySelector('[role="status"]')?.textContent).toContain('Connecting securely…');
    connect.set({ status: 'ready', url: URL_1 });
    expect(opened.querySelector('iframe')?.getAttribute('src')).toBe(URL_1);
  });

  it('closes with its close button, gives the focus back and reports the exit mid-link', () => {
    const { connect, launcher, exits } = setup();
    launcher().focus();
    fireEvent.click(launcher());
    connect.set({
      status: 'linking',
      url: URL_1,
      step: 'COMPONENT_LOAD_CREDENTIAL',
      institution: 'FlinksCapital',
    });
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(dialog()).toBeNull();
    expect(locked()).toBe(false);
    expect(document.activeElement).toBe(launcher());
    expect(exits).toEqual([
      {
        step: 'COMPONENT_LOAD_CREDENTIAL',
        status: 'linking',
        institution: 'FlinksCapital',
        error: null,
      },
    ]);
    // The next open is a new Connect session.
    expect(connect.reset).toHaveBeenCalledTimes(1);
  });

  it('closes on Esc (the dialog’s cancel), with the error on screen in the exit', () => {
    const error = { code: 'rate_limited', message: 'Wait.', recoverable: true };
    const { connect, widget, exits } = setup();
    widget.open();
    connect.set({ status: 'error', error });
    const cancel = new Event('cancel', { cancelable: true });
    dialog()!.dispatchEvent(cancel);
    expect(cancel.defaultPrevented).toBe(true);
    expect(dialog()).toBeNull();
    expect(exits).toEqual([{ step: null, status: 'error', institution: null, error }]);
  });

  it('follows a dialog the browser closed itself', () => {
    const { widget, exits } = setup();
    widget.open();
    dialog()!.close();
    expect(dialog()).toBeNull();
    expect(locked()).toBe(false);
    expect(exits).toHaveLength(1);
  });

  it('closes when Connect’s own close button ends the session', () => {
    const { connect, widget, exits } = setup();
    widget.open();
    connect.set({ status: 'linking', url: URL_1, step: 'COMPONENT_LOAD_CONSENT' });
    connect.set({ status: 'closed', step: 'COMPONENT_CLOSE_SESSION' });
    expect(dialog()).toBeNull();
    expect(exits).toEqual([
      { step: 'COMPONENT_CLOSE_SESSION', status: 'closed', institution: null, error: null },
    ]);
  });

  it('is no exit once the customer linked: the retrieval goes on, and shows again on open', () => {
    const { connect, widget, exits } = setup();
    widget.open();
    connect.set({ status: 'retrieving', loginId: 'l1' });
    widget.close();
    expect(exits).toEqual([]);
    expect(connect.reset).not.toHaveBeenCalled();
    connect.set({ status: 'complete' });
    widget.open();
    expect(connect.start).toHaveBeenCalledTimes(1);
    expect(dialog()?.textContent).toContain('Accounts linked');
  });

  it('closes from the complete panel’s Done, which inline has not', () => {
    const { connect, widget, exits, launcher } = setup({}, { status: 'complete', loginId: 'l1' });
    widget.open();
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(dialog()).toBeNull();
    expect(document.activeElement).toBe(launcher());
    expect(exits).toEqual([]);
    expect(connect.reset).not.toHaveBeenCalled();
    setup({ mode: 'inline' }, { status: 'complete' });
    expect(screen.queryByRole('button', { name: 'Done' })).toBeNull();
  });

  it('ignores open() and close() inline, and a second open()', () => {
    const inline = setup({ mode: 'inline' });
    inline.widget.open();
    expect(dialog()).toBeNull();
    inline.widget.close();
    expect(inline.exits).toEqual([]);
    const modal = setup();
    modal.widget.open();
    modal.widget.open();
    expect(document.querySelectorAll('dialog')).toHaveLength(1);
    expect(modal.connect.start).toHaveBeenCalledTimes(1);
  });

  it('leaves nothing after destroy(), even open', () => {
    const { widget, host, connect } = setup();
    widget.open();
    widget.destroy();
    expect(host.childNodes).toHaveLength(0);
    expect(locked()).toBe(false);
    expect(document.head.querySelector('style')).toBeNull();
    expect(connect.destroy).toHaveBeenCalledTimes(1);
    widget.open();
    expect(dialog()).toBeNull();
  });

  it('speaks French', () => {
    const { widget } = setup({ language: 'fr' });
    expect(screen.getByRole('button', { name: 'Lier votre compte bancaire' })).toBeTruthy();
    widget.open();
    expect(screen.getByRole('button', { name: 'Fermer' })).toBeTruthy();
  });
});

describe('theme', () => {
  it.each(['auto', 'light', 'dark'] as const)('marks the root with theme %s', (theme) => {
    const { host } = setup({ mode: 'inline', theme });
    expect(host.querySelector('.flinkit')?.getAttribute('data-theme')).toBe(theme);
  });

  it('defaults to auto', () => {
    const { host } = setup({ mode: 'inline' });
    expect(host.querySelector('.flinkit')?.getAttribute('data-theme')).toBe('auto');
  });
});
