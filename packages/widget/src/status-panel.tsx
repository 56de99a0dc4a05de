// biome-ignore lint/correctness/noUnusedImports: the JSX factories (tsconfig `jsxFactory`).
import { Fragment, h } from 'preact';
import { formatMoney, secondsUntil } from './format.js';
import type { WidgetStrings } from './strings.js';
import type { WidgetProps } from './widget.js';

/** Props of the panel under the iframe: the widget's, plus its language's strings. */
export interface StatusPanelProps extends WidgetProps {
  strings: WidgetStrings;
}

// Plain functions rather than components: nothing here has state, so preact needs no
// component instance per part.

/** What the customer reads (and can do) in each state of the flow. */
export function statusPanel(props: StatusPanelProps) {
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
        state.error?.code === 'timed_out' || state.connection?.status === 'timed_out'
          ? strings.timedOut
          : strings.error,
        strings.retry,
        props.onRetry,
      );
    case 'closed':
      return action(strings.closed, strings.retry, props.onRestart);
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

function action(text: string, label: string, onClick: () => void) {
  return (
    <>
      <p class="flinkit-error">{text}</p>
      <button type="button" onClick={onClick}>
        {label}
      </button>
    </>
  );
}

function retrieving({ state: { connection }, strings, now }: StatusPanelProps) {
  const seconds = secondsUntil(connection?.nextPollAt, now);
  const details = [
    connection?.attempt && strings.attempt(connection.attempt),
    seconds !== null && strings.nextPoll(seconds),
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <>
      {busy(strings.retrieving)}
      {details && <p>{details}</p>}
    </>
  );
}

function summary({ state, accounts: response, strings, language }: StatusPanelProps) {
  if (response === undefined) return busy(strings.retrieving);
  const institution = response?.institution ?? state.institution;
  return (
    <>
      <p>
        <strong>{strings.complete}</strong>
        {institution && ` · ${institution}`}
      </p>
      {response?.view === 'summary' && (
        <ul>
          {response.accounts.map(({ id, title, maskedNumber, currency, balance }) => {
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
    </>
  );
}
