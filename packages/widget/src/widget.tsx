import type { AccountsResponse, FlinksConnectState } from '@flinkit/core';
// biome-ignore lint/correctness/noUnusedImports: the JSX factory (tsconfig `jsxFactory`).
import { h } from 'preact';
import { statusPanel } from './status-panel.js';
import { getStrings } from './strings.js';
import type { WidgetLanguage } from './types.js';

/**
 * The accounts summary once the retrieval is complete: `undefined` while it is being read, `null`
 * when it could not be read.
 */
export type AccountsState = AccountsResponse | null | undefined;

/**
 * Props of the widget's root: a snapshot of both stores, rendered again by `createWidget` on
 * every change (and every second while a countdown shows).
 */
export interface WidgetProps {
  state: FlinksConnectState;
  accounts: AccountsState;
  language: WidgetLanguage;
  /** `Date.now()` of this render, for the countdown to the next poll. */
  now: number;
  /** The iframe's ref: one function for the widget's life, so preact never re-attaches it. */
  attach: (iframe: HTMLIFrameElement | null) => void;
  onRetry: () => void;
  onRestart: () => void;
}

// What Connect needs to run (scripts, its own storage, forms, the OAuth popup), and no more.
const SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox';

/** The Connect iframe while the customer links a bank, then the status panel. */
export function Widget(props: WidgetProps) {
  const { state, language } = props;
  const strings = getStrings(language);
  return (
    <div class="flinkit" lang={language}>
      {state.url && (state.status === 'ready' || state.status === 'linking') && (
        <iframe
          ref={props.attach}
          class="flinkit-frame"
          title={strings.frameTitle}
          src={state.url}
          sandbox={SANDBOX}
        />
      )}
      <div class="flinkit-status" role="status" aria-live="polite">
        {statusPanel({ ...props, strings })}
      </div>
    </div>
  );
}
