// The sign-in page of a simulated OAuth bank (/v2/oauth). In a popup it hands the result to the
// Connect iframe that opened it and closes; as a whole-window redirect (returnTo) it goes on to
// the host's redirectUrl with ?loginId=…&institution=… (docs.flinks.com /guides/connect/oauth-integration).
import { h, params, withQuery } from './dom.js';
import { TEXT } from './text.js';

(() => {
  const text = TEXT[params.get('language') === 'fr' ? 'fr' : 'en'];
  const sessionId = params.get('sessionId');
  const institution = params.get('institution');
  const returnTo = params.get('returnTo');
  const root = document.getElementById('app');

  const show = (...children) => {
    root.replaceChildren(h('section', {}, h('h1', { text: text.bankTitle }), ...children));
    root.querySelector('input, button')?.focus();
  };

  const api = async (action, body) => {
    const response = await fetch(`/v2/api/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, sessionId }),
    });
    return response.ok ? response.json() : { result: 'error', flinksCode: 'SESSION_EXPIRED' };
  };

  const finish = (result) => {
    if (!returnTo && window.opener) {
      window.opener.postMessage({ type: 'flinks-oauth', result }, window.location.origin);
      window.close();
      return;
    }
    if (returnTo && result.result === 'success') {
      window.location.href = withQuery(returnTo, {
        loginId: result.loginId,
        institution: result.institution,
      });
      return;
    }
    show(
      h('p', {
        role: 'alert',
        'data-testid': 'bank-error',
        text: text[result.flinksCode] || text.failure,
      }),
    );
  };

  const field = (id, label, type) => [
    h('label', { for: id, text: label }),
    h('input', { id, name: id, type, required: true, autocomplete: 'off', 'data-testid': id }),
  ];

  const ask = (challenge) => {
    const form = h(
      'form',
      { novalidate: true },
      h('p', { id: 'mfa-question', 'data-testid': 'mfa-question', text: challenge.prompt }),
      ...field('mfa-answer', text.answer, 'text'),
      h('button', { type: 'submit', 'data-testid': 'submit-mfa', text: text.submitAnswer }),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      finish(await api('mfa', { answer: form.elements['mfa-answer'].value }));
    });
    show(form);
  };

  const form = h(
    'form',
    { novalidate: true },
    ...field('username', text.username, 'text'),
    ...field('password', text.password, 'password'),
    h('button', { type: 'submit', 'data-testid': 'bank-authorize', text: text.authorize }),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    form.querySelector('button').disabled = true;
    const result = await api('login', {
      institution,
      username: form.elements.username.value,
      password: form.elements.password.value,
    });
    if (result.result === 'mfa') return ask(result);
    finish(result);
  });
  document.title = text.bankTitle;
  show(form);
})();
