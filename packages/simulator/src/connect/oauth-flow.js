// OAuth institutions in the simulated Connect iframe (docs.flinks.com /guides/connect/oauth-integration):
// the bank's page opens in a popup (POPUP_OPENED, or POPUP_BLOCKED when the browser refuses), and
// Connect goes on once the customer authorized there. With oauthWindowRedirect=true the window
// hosting Connect goes to the bank instead, then to redirectUrl?loginId=…&institution=… .
import { flag, h, post } from './dom.js';

export const startOAuth = ({ current, screen, text, showError, onLinked, redirectUrl }) => {
  const institution = current.institution;
  if (!redirectUrl) {
    // The OAuth guide calls redirectUrl required; the simulator refuses loudly without it.
    post({ flinksCode: 'INVALID_REQUEST', institution });
    return showError(text.oauthNeedsRedirect, 'oauth-error');
  }
  const windowRedirect = flag('oauthWindowRedirect', false);
  const query = new URLSearchParams({ sessionId: current.sessionId, institution });
  if (windowRedirect) query.set('returnTo', redirectUrl);
  const bank = new URL(`/v2/oauth?${query}`, window.location.href).href;
  if (windowRedirect) {
    try {
      window.top.location.href = bank;
    } catch {
      window.location.href = bank;
    }
    return;
  }
  const open = () => {
    const popup = window.open(bank, 'flinks-oauth', 'popup,width=480,height=640');
    if (!popup) {
      post({ step: 'POPUP_BLOCKED', institution });
      return screen(
        'oauth-blocked',
        institution,
        h('p', { role: 'alert', 'data-testid': 'popup-blocked', text: text.popupBlocked }),
        h('button', {
          type: 'button',
          'data-testid': 'oauth-retry',
          text: text.retry,
          onclick: open,
        }),
      );
    }
    post({ step: 'POPUP_OPENED', institution });
    screen(
      'oauth-waiting',
      institution,
      h('p', { role: 'status', 'data-testid': 'oauth-waiting', text: text.oauthWaiting }),
    );
    const onMessage = (event) => {
      if (event.origin !== window.location.origin || event.source !== popup) return;
      if (event.data?.type !== 'flinks-oauth') return;
      window.removeEventListener('message', onMessage);
      const result = event.data.result;
      if (result.result === 'success') return onLinked(result);
      post({ flinksCode: result.flinksCode, institution, requestId: result.requestId });
      showError(text[result.flinksCode] || text.failure, 'error');
    };
    window.addEventListener('message', onMessage);
  };
  open();
};
