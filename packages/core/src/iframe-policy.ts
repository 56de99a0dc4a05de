import type { FlinksConnectState } from './types';

/**
 * The `sandbox` of the Flinks Connect iframe, the same in every adapter.
 *
 * - `allow-scripts allow-same-origin`: Connect is a script app that keeps its session in its own
 *   origin's storage; `allow-forms` submits the credentials and MFA forms.
 * - `allow-popups allow-popups-to-escape-sandbox`: an OAuth bank opens in a popup (Connect reports
 *   `POPUP_OPENED`/`POPUP_BLOCKED`), and the bank's own page must run unsandboxed in it.
 * - No `allow-top-navigation` of any kind, not even `-by-user-activation`: with a `redirectUrl`,
 *   Connect posts REDIRECT and then navigates the top window to it, right after the customer's
 *   last click. That would unload the host page in the middle of its flow, while the loginId is
 *   already on its way to the proxy by postMessage. Without the token the navigation is refused
 *   and the page keeps going. A host that wants Connect to navigate it (full-page OAuth with
 *   `oauthWindowRedirect`, the redirect mode of `readRedirectResult`) adds the token itself.
 * - No `allow-modals`, `allow-downloads` or storage-access tokens: Connect uses none of them.
 *
 * Connect needs no Permissions Policy feature (camera, payment, clipboard, …), so the iframe
 * has no `allow` attribute: a cross-origin frame then gets none of the features that default to
 * `'self'`.
 */
export const IFRAME_SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox';

/**
 * True while the Connect iframe drives the flow, and so the one rule for when an adapter shows
 * it: `ready`, `linking`, or an error the iframe itself reported before any link (`flinks_error`
 * without a loginId: Connect shows its own explanation and the customer may pick another bank
 * there, which brings the flow back to `linking`). False in every other state, including a
 * `flinks_error` of the retrieval.
 */
export function isLinkable({ status, error, loginId }: FlinksConnectState): boolean {
  return (
    status === 'ready' ||
    status === 'linking' ||
    (status === 'error' && error?.code === 'flinks_error' && !loginId)
  );
}
