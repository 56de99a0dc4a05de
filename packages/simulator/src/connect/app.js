// The simulated Flinks Connect iframe. Vanilla JS, no inline script, so a strict CSP holds. It
// posts the step events of apps/docs/flinks.md#postmessage-events to the parent, as Flinks does
// (target '*').
import { flag, h, params, post } from './dom.js';
import { startOAuth } from './oauth-flow.js';
import { redirect } from './redirect.js';
import { TEXT } from './text.js';

(() => {
  const language = params.get('language') === 'fr' ? 'fr' : 'en';
  const tag = params.get('tag');
  const redirectUrl = params.get('redirectUrl');
  const shape = params.get('simRedirectShape') || document.body.dataset.redirectShape || 'url';
  const text = TEXT[language];
  const root = document.getElementById('app');
  const current = { sessionId: null, institution: null };

  const screen = (name, heading, ...children) => {
    const header = h(
      'header',
      { class: 'header' },
      h('h1', { id: 'title', text: heading }),
      flag('closeEnable', false) &&
        h('button', {
          type: 'button',
          class: 'close',
          'aria-label': text.close,
          'data-testid': 'close',
          text: '×',
          onclick: () =>
            post({ step: 'COMPONENT_CLOSE_SESSION', institution: current.institution }),
        }),
    );
    root.replaceChildren(
      h('section', { 'data-screen': name, 'aria-labelledby': 'title' }, header, ...children),
    );
    // Only while the frame has the focus: focusing inside an unfocused frame moves where the
    // page's Tab enters it, past this very control.
    const focusable = root.querySelector('input, button:not(.close)');
    if (focusable && document.hasFocus()) focusable.focus();
  };

  const api = async (action, body) => {
    try {
      const response = await fetch(`/v2/api/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, sessionId: current.sessionId }),
      });
      return { status: response.status, data: await response.json() };
    } catch {
      return { status: 0, data: {} };
    }
  };

  const showError = (message, testId) => {
    screen(
      'error',
      text.title,
      h('p', { role: 'alert', 'data-testid': testId || 'error', text: message }),
    );
  };

  const showConsent = () => {
    post({ step: 'COMPONENT_LOAD_CONSENT' });
    screen(
      'consent',
      text.consentTitle,
      h('p', { text: text.consentText }),
      h(
        'div',
        { class: 'actions' },
        h('button', {
          type: 'button',
          'data-testid': 'consent-accept',
          text: text.accept,
          onclick: () => {
            post({ step: 'COMPONENT_ACCEPT_CONSENT' });
            showInstitutions();
          },
        }),
        h('button', {
          type: 'button',
          class: 'secondary',
          'data-testid': 'consent-deny',
          text: text.deny,
          onclick: () => {
            post({ step: 'COMPONENT_DENY_CONSENT' });
            showError(text.denied, 'consent-denied');
          },
        }),
      ),
    );
  };

  const showInstitutions = () => {
    post({ step: 'COMPONENT_LOAD_INSTITUTION_SELECTOR', cached: false });
    const all = current.institutions.filter((item) => !item.demoOnly || flag('demo', false));
    const list = h('ul', { class: 'institutions', 'aria-label': text.institutionTitle });
    const render = (query) => {
      const matches = all.filter((item) => item.name.toLowerCase().includes(query.toLowerCase()));
      list.replaceChildren(
        ...matches.map((item) =>
          h(
            'li',
            {},
            h('button', {
              type: 'button',
              'data-testid': `institution-${item.name}`,
              text: item.name,
              onclick: () => {
                current.institution = item.name;
                post({ step: 'INSTITUTION_SELECTED', institution: item.name });
                if (!item.oauth) return showCredentials(null);
                startOAuth({ current, screen, text, showError, onLinked: linked, redirectUrl });
              },
            }),
          ),
        ),
      );
      if (matches.length === 0) list.append(h('li', { text: text.noResults }));
    };
    const search = h('input', {
      id: 'institution-search',
      type: 'search',
      'data-testid': 'institution-search',
      oninput: (event) => render(event.target.value),
    });
    screen(
      'institutions',
      text.institutionTitle,
      h('label', { for: 'institution-search', text: text.search }),
      search,
      list,
    );
    render('');
  };

  const field = (id, label, type) => [
    h('label', { for: id, text: label }),
    h('input', { id, name: id, type, required: true, autocomplete: 'off', 'data-testid': id }),
  ];

  const showCredentials = (errorCode) => {
    const institution = current.institution;
    post({
      step: errorCode ? 'COMPONENT_LOAD_CREDENTIAL_RETRY' : 'COMPONENT_LOAD_CREDENTIAL',
      institution,
    });
    const form = h(
      'form',
      { novalidate: true },
      errorCode &&
        h('p', {
          role: 'alert',
          class: 'error',
          'data-testid': 'credential-error',
          text: text[errorCode],
        }),
      ...field('username', text.username, 'text'),
      ...field('password', text.password, 'password'),
      h('button', { type: 'submit', 'data-testid': 'submit-credentials', text: text.signIn }),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      form.querySelector('button').disabled = true;
      post({ step: 'SUBMIT_CREDENTIAL', institution });
      const { status, data } = await api('login', {
        institution,
        username: form.elements.username.value,
        password: form.elements.password.value,
      });
      if (status !== 200) return showError(text.expired, 'error');
      if (data.result === 'mfa') return showMfa(data, null);
      if (data.result === 'success') return linked(data);
      post({ flinksCode: data.flinksCode, institution, requestId: data.requestId });
      if (data.flinksCode === 'INVALID_PASSWORD' || data.flinksCode === 'INVALID_USERNAME') {
        return showCredentials(data.flinksCode);
      }
      showError(text[data.flinksCode] || text.failure, 'error');
    });
    screen('credentials', institution, form);
  };

  const showMfa = (challenge, errorCode) => {
    const institution = current.institution;
    post({
      step: errorCode ? 'COMPONENT_LOAD_MFA_RETRY' : 'COMPONENT_LOAD_MFA',
      institution,
      mfaTypes: challenge.mfaTypes,
    });
    const form = h(
      'form',
      { novalidate: true },
      errorCode &&
        h('p', {
          role: 'alert',
          class: 'error',
          'data-testid': 'mfa-error',
          text: text[errorCode],
        }),
      h('p', { id: 'mfa-question', 'data-testid': 'mfa-question', text: challenge.prompt }),
      h('label', { for: 'mfa-answer', text: text.answer }),
      h('input', {
        id: 'mfa-answer',
        name: 'answer',
        type: 'text',
        required: true,
        'aria-describedby': 'mfa-question',
        'data-testid': 'mfa-answer',
      }),
      h('button', { type: 'submit', 'data-testid': 'submit-mfa', text: text.submitAnswer }),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      form.querySelector('button').disabled = true;
      post({ step: 'SUBMIT_MFA', institution });
      const { status, data } = await api('mfa', { answer: form.elements.answer.value });
      if (status !== 200) return showError(text.expired, 'error');
      if (data.result === 'success') return linked(data);
      post({ flinksCode: data.flinksCode, institution, requestId: data.requestId });
      showMfa(challenge, data.flinksCode);
    });
    screen('mfa', text.mfaTitle, form);
  };

  const linked = (result) => {
    if (!flag('accountSelectorEnable', false)) return finish(result, []);
    const multiple = flag('accountSelectorMultiple', false);
    post({
      step: 'COMPONENT_LOAD_ACCOUNT_SELECTION',
      totalAccounts: result.accounts.length,
      displayedAccounts: result.accounts.length,
    });
    const form = h(
      'form',
      { novalidate: true },
      h(
        'fieldset',
        {},
        h('legend', { text: multiple ? text.accountsTitleMultiple : text.accountsTitle }),
        ...result.accounts.map((account, index) =>
          h(
            'label',
            { class: 'account' },
            h('input', {
              type: multiple ? 'checkbox' : 'radio',
              name: 'account',
              value: account.id,
              checked: index === 0,
              'data-testid': 'account-option',
            }),
            ` ${account.title} ${account.mask}`,
          ),
        ),
      ),
      h('button', { type: 'submit', 'data-testid': 'submit-accounts', text: text.share }),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const ids = [...form.querySelectorAll('input:checked')].map((input) => input.value);
      if (ids.length === 0) return;
      post({ step: 'ACCOUNT_SELECTED', accountId: multiple ? ids : ids[0] });
      finish(result, ids);
    });
    screen('accounts', multiple ? text.accountsTitleMultiple : text.accountsTitle, form);
  };

  const finish = (result, accountIds) => {
    redirect({ result, accountIds, shape, redirectUrl, tag }, () =>
      screen(
        'success',
        text.title,
        h('p', { role: 'status', 'data-testid': 'success', text: text.success }),
      ),
    );
  };

  const start = async () => {
    document.documentElement.lang = language;
    document.title = text.title;
    post({ step: 'APP_MOUNTED' });
    screen('loading', text.title, h('p', { role: 'status', text: text.loading }));
    const { status, data } = await api('session', {
      authorizeToken: params.get('authorizeToken') || '',
      language,
      tag,
    });
    if (status !== 200) {
      post({ step: 'TOKEN_INVALID' });
      return showError(text.tokenInvalid, 'token-invalid');
    }
    current.sessionId = data.sessionId;
    current.institutions = data.institutions;
    if (flag('consentEnable', true)) showConsent();
    else showInstitutions();
  };

  start();
})();
