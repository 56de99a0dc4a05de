import type { AccountsResponse, FlinksConnectState } from '@flinkit/core';
import type { ElementBuilder } from './dom.js';
import { formatMoney, secondsUntil } from './format.js';
import type { WidgetStrings } from './strings.js';
import type { WidgetLanguage } from './types.js';

/**
 * The accounts summary once the retrieval is complete: `undefined` while it is being read, `null`
 * when it could not be read.
 */
export type AccountsState = AccountsResponse | null | undefined;

/** What the panel shows: a snapshot of the flow and of the accounts, at `now` (ms). */
export interface PanelInput {
  state: FlinksConnectState;
  accounts: AccountsState;
  now: number;
}

/** How the panel is made: the element builder and the widget's language. */
export interface PanelContext {
  element: ElementBuilder;
  strings: WidgetStrings;
  language: WidgetLanguage;
}

/**
 * What the customer reads (and can do) under the iframe in each state of the flow. Its one
 * button (retry, or start again) is handled where the panel is mounted.
 */
export function statusPanel(input: PanelInput, context: PanelContext): Element[] {
  const { state } = input;
  const { element, strings } = context;
  const busy = (text: string) => [
    element('p', {}, text),
    element('progress', { 'aria-label': text }),
  ];
  const action = (text: string) => [
    element('p', { class: 'flinkit-error' }, text),
    element('button', { type: 'button' }, strings.retry),
  ];
  switch (state.status) {
    case 'ready':
    case 'linking':
      return []; // the iframe speaks for itself
    case 'linked':
      return busy(`${strings.linked} ${strings.retrieving}`);
    case 'retrieving': {
      const { connection } = state;
      const seconds = secondsUntil(connection?.nextPollAt, input.now);
      const details = [
        connection?.attempt && strings.attempt(connection.attempt),
        seconds !== null && strings.nextPoll(seconds),
      ]
        .filter(Boolean)
        .join(' · ');
      // A timer, not news: screen readers read it when asked, not every second.
      return [
        ...busy(strings.retrieving),
        ...(details ? [element('p', { role: 'timer' }, details)] : []),
      ];
    }
    case 'complete':
      return input.accounts === undefined ? busy(strings.retrieving) : summary(input, context);
    case 'error':
      return action(
        state.error?.code === 'timed_out' || state.connection?.status === 'timed_out'
          ? strings.timedOut
          : strings.error,
      );
    case 'closed':
      return action(strings.closed);
    default:
      return busy(strings.loading);
  }
}

function summary({ state, accounts }: PanelInput, { element, strings, language }: PanelContext) {
  const institution = accounts?.institution ?? state.institution;
  const heading = element(
    'p',
    {},
    element('strong', {}, strings.complete),
    institution && ` · ${institution}`,
  );
  if (accounts?.view !== 'summary') return [heading];
  const rows = accounts.accounts.map(({ title, maskedNumber, currency, balance }) => {
    const amount = balance.current ?? balance.available;
    return element(
      'li',
      {},
      element('span', {}, maskedNumber ? `${title} ${maskedNumber}` : title),
      element('span', {}, amount === null ? '—' : formatMoney(amount, currency, language)),
    );
  });
  return [heading, element('ul', {}, ...rows)];
}
