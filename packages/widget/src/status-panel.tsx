import type { Connection, FlinksConnectState } from '@flinkit/core';
import { formatMoney, secondsUntil } from './format.js';
import type { WidgetStrings } from './strings.js';
import type { WidgetLanguage } from './types.js';
import { useNow } from './use-store.js';
import type { AccountsState } from './widget.js';

/** Props of the panel under the iframe. */
export interface StatusPanelProps {
  state: FlinksConnectState;
  accounts: AccountsState;
  strings: WidgetStrings;
  language: WidgetLanguage;
  onRetry: () => void;
  onRestart: () => void;
}

/** What the customer reads (and can do) in each state of the flow. */
export function StatusPanel(props: StatusPanelProps) {
  const { state, strings } = props;
  switch (state.status) {
    case 'ready':
    case 'linking':
      return null; // the iframe speaks for itself
    case 'linked':
      return <Busy text={`${strings.linked} ${strings.retrieving}`} />;
    case 'retrieving':
      return <Retrieving connection={state.connection} strings={strings} />;
    case 'complete':
      return <Summary {...props} />;
    case 'error':
      return (
        <Action
          text={
            state.error?.code === 'timed_out' || state.connection?.status === 'timed_out'
              ? strings.timedOut
              : strings.error
          }
          label={strings.retry}
          onClick={props.onRetry}
        />
      );
    case 'closed':
      return <Action text={strings.closed} label={strings.retry} onClick={props.onRestart} />;
    default:
      return <Busy text={strings.loading} />;
  }
}

function Busy({ text }: { text: string }) {
  return (
    <>
      <p>{text}</p>
      <progress aria-label={text} />
    </>
  );
}

function Action({ text, label, onClick }: { text: string; label: string; onClick: () => void }) {
  return (
    <>
      <p class="flinkit-error">{text}</p>
      <button type="button" onClick={onClick}>
        {label}
      </button>
    </>
  );
}

function Retrieving({
  connection,
  strings,
}: {
  connection: Connection | null;
  strings: WidgetStrings;
}) {
  const nextPollAt = connection?.nextPollAt ?? null;
  const seconds = secondsUntil(nextPollAt, useNow(nextPollAt !== null));
  const details = [
    connection?.attempt ? strings.attempt(connection.attempt) : '',
    seconds === null ? '' : strings.nextPoll(seconds),
  ].filter(Boolean);
  return (
    <>
      <Busy text={strings.retrieving} />
      {details.length > 0 && <p>{details.join(' · ')}</p>}
    </>
  );
}

function Summary({ state, accounts, strings, language }: StatusPanelProps) {
  const { response } = accounts;
  if (accounts.status === 'idle' || accounts.status === 'loading') {
    return <Busy text={strings.retrieving} />;
  }
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
