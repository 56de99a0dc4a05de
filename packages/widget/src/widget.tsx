import type { AccountsResponse, FlinksConnect } from '@flinkit/core';
import { useCallback } from 'preact/hooks';
import { StatusPanel } from './status-panel.js';
import { getStrings } from './strings.js';
import type { ExternalStore, WidgetLanguage } from './types.js';
import { useStore } from './use-store.js';

/** Where the accounts summary stands once the retrieval is complete. */
export interface AccountsState {
  status: 'idle' | 'loading' | 'loaded' | 'failed';
  response: AccountsResponse | null;
}

/** The parts of `FlinksConnect` the UI uses. */
export type WidgetConnect = Pick<
  FlinksConnect,
  'getState' | 'subscribe' | 'attach' | 'retry' | 'start'
>;

/** Props of the widget's root component. */
export interface WidgetProps {
  connect: WidgetConnect;
  accounts: ExternalStore<AccountsState>;
  language: WidgetLanguage;
}

// What Connect needs to run (scripts, its own storage, forms, the OAuth popup), and no more.
const SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox';

/** The Connect iframe while the customer links a bank, then the status panel. */
export function Widget({ connect, accounts, language }: WidgetProps) {
  const state = useStore(connect);
  const accountsState = useStore(accounts);
  const strings = getStrings(language);
  const attach = useCallback(
    (iframe: HTMLIFrameElement | null) => connect.attach(iframe),
    [connect],
  );
  const showFrame = state.url !== null && (state.status === 'ready' || state.status === 'linking');
  return (
    <div class="flinkit" lang={language}>
      {showFrame && (
        <iframe
          ref={attach}
          class="flinkit-frame"
          title={strings.frameTitle}
          src={state.url ?? undefined}
          sandbox={SANDBOX}
        />
      )}
      <div class="flinkit-status" role="status" aria-live="polite">
        <StatusPanel
          state={state}
          accounts={accountsState}
          strings={strings}
          language={language}
          onRetry={() => connect.retry().catch(ignore)}
          onRestart={() => connect.start().catch(ignore)}
        />
      </div>
    </div>
  );
}

// The core reports failures through its state and `onError`; the promise adds nothing.
function ignore(): void {}
