// The end of a successful Connect session: the REDIRECT message, then where the page goes.
// - jsRedirect=true: only the message;
// - redirectUrl + innerRedirect=true: the iframe itself goes to redirectUrl?loginId=…;
// - redirectUrl otherwise: the top window does (the samples pair redirectUrl with innerRedirect=true,
//   docs.flinks.com /docs/parameters; a public client that omits it navigates its whole page);
// - no redirectUrl: nowhere.
// The choice is recorded on <body data-navigation> (none | frame | top) before navigating.
import { flag, post, withQuery } from './dom.js';

export const redirect = ({ result, accountIds, shape, redirectUrl, tag }, showSuccess) => {
  const accountId = accountIds.length > 0 ? accountIds.join(',') : null;
  const fields = { loginId: result.loginId, institution: result.institution, tag, accountId };
  if (shape === 'url') {
    post({
      step: 'REDIRECT',
      institution: result.institution,
      url: withQuery(redirectUrl || 'about:blank', fields),
    });
  } else {
    const message = {
      step: 'REDIRECT',
      loginId: result.loginId,
      requestId: result.requestId,
      institution: result.institution,
    };
    if (tag) message.tag = tag;
    if (accountId) message.accountId = accountIds.length > 1 ? accountIds : accountIds[0];
    post(message);
  }
  showSuccess();
  const navigation =
    !redirectUrl || flag('jsRedirect', false)
      ? 'none'
      : flag('innerRedirect', false)
        ? 'frame'
        : 'top';
  document.body.dataset.navigation = navigation;
  if (navigation === 'none') return;
  const target = withQuery(redirectUrl, fields);
  try {
    (navigation === 'frame' ? window : window.top).location.href = target;
  } catch {
    window.location.href = target;
  }
};
