// preact's `h`, as in tsconfig.json, said per file too: a package that compiles this source
// with its own JSX settings (@flinkit/react's cross-adapter test) must not read it as React's.
/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
import type { FlinksConnectState } from '@flinkit/core';
// biome-ignore lint/correctness/noUnusedImports: the JSX factory (tsconfig `jsxFactory`).
import { Fragment, h } from 'preact';
import { formatMoney, secondsUntil } from './format.js';
import type { WidgetStrings } from './strings.js';
import type { WidgetLanguage } from './types.js';

/** What the panel shows: a snapshot of the flow at `now` (ms), and its one action. */
export interface PanelProps {
  state: FlinksConnectState;
  now: number;
  strings: WidgetStrings;
  language: WidgetLanguage;
  /** The panel's button: retry after an error, start again after a close, reconnect. */
  onAction: () => void;
  /** In the modal, the complete panel's "Done" closes it. */
  onDone?: (() => void) | false;
}

// Plain functions rather than components: nothing here has state of its own, and the same
// element types at the same places keep their nodes (a focused button keeps the focus).

/** What the customer reads (and can do) beside the iframe in each state of the flow. */
export function statusPanel(props: PanelProps) {
  const { state, strings } = props;
  switch (state.status) {
    case 'ready':
    case 'linking':
      return null; // the iframe speaks for itself
    case 'linked':
      return busy(`${strings.linked} ${strings.retrieving}`);
    case 'retrieving':
      return retrieving(props);
    case 'complete':
      return summary(props);
    case 'error':
      return action(
        props,
        state.error?.code === 'timed_out' || state.connection?.status === 'timed_out'
          ? strings.timedOut
          : strings.error,
      );
    case 'closed':
      return action(props, strings.closed);
    default:
      return busy(strings.loading);
  }
}

function busy(text: string) {
  return (
    <>
      <p>{text}</p>
      <progress aria-label={text} />
    </>
  );
}

function action({ strings, onAction }: PanelProps, text: string, label = strings.retry) {
  return (
    <>
      <p class="flinkit-error">{text}</p>
      <button type="button" onClick={onAction}>
        {label}
      </button>
    </>
  );
}

function retrieving({ state: { connection }, strings, now }: PanelProps) {
  const seconds = secondsUntil(connection?.nextPollAt, now);
  const details = [
    connection?.attempt && strings.attempt(connection.attempt),
    seconds !== null && strings.nextPoll(seconds),
  ]
    .filter(Boolean)
    .join(' · ');
  // A timer, not news: screen readers read it when asked, not every second.
  return (
    <>
      {busy(strings.retrieving)}
      {details && (
        <p class="flinkit-note" role="timer">
          {details}
        </p>
      )}
    </>
  );
}

function summary(props: PanelProps) {
  const { state, strings, language, onAction, onDone } = props;
  const { accounts, connection } = state;
  const institution = accounts?.institution ?? state.institution;
  return (
    <>
      <p>
        <strong>{strings.complete}</strong>
        {institution && ` · ${institution}`}
      </p>
      {connection?.stale && (
        <div class="flinkit-notice">
          <p>{strings.reconnect}</p>
          <button type="button" onClick={onAction}>
            {strings.reconnectAction}
          </button>
        </div>
      )}
      {accounts?.view === 'summary' && (
        <ul>
          {accounts.accounts.map(({ id, title, maskedNumber, currency, balance }) => {
            const amount = balance.current ?? balance.available;
            return (
              <li key={id}>
                <span>{maskedNumber ? `${title} ${maskedNumber}` : title}</span>
                <span>{amount === null ? '—' : formatMoney(amount, currency, language)}</span>
              </li>
            );
          })}
        </ul>
      )}
      {onDone && (
        <button type="button" class="flinkit-done" onClick={onDone}>
          {strings.done}
        </button>
      )}
    </>
  );
}
