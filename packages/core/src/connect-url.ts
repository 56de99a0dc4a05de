/**
 * The Flinks Connect iframe parameters a site sets (apps/docs/flinks.md#query-parameters). Booleans
 * become `true`/`false`; `undefined` leaves a parameter out so Flinks' default applies.
 */
export interface ConnectUrlOptions {
  /** The iframe page, e.g. `https://toolbox-iframe.private.fin.ag/v2/`. Its own query is kept. */
  baseUrl: string;
  /** Single-use token from `/GenerateAuthorizeToken` (mandatory for new integrations). */
  authorizeToken: string;
  /** Show the Flinks Capital test bank. */
  demo?: boolean | undefined;
  /** Simulate the OAuth popup. */
  demoOutbound?: boolean | undefined;
  language?: 'en' | 'fr' | undefined;
  /** Landing page; Flinks appends `loginId`, `institution` and `tag`. */
  redirectUrl?: string | undefined;
  innerRedirect?: boolean | undefined;
  /** Report REDIRECT by postMessage instead of navigating. */
  jsRedirect?: boolean | undefined;
  consentEnable?: boolean | undefined;
  customerName?: string | undefined;
  termsUrl?: string | undefined;
  headerEnable?: boolean | undefined;
  headerImgEnable?: boolean | undefined;
  backEnable?: boolean | undefined;
  /** Show an "X" that sends `COMPONENT_CLOSE_SESSION`. */
  closeEnable?: boolean | undefined;
  institutionFilterEnable?: boolean | undefined;
  staticLoadingEnable?: boolean | undefined;
  removePadding?: boolean | undefined;
  theme?: string | undefined;
  desktopLayout?: boolean | undefined;
  fixedHeightEnable?: boolean | undefined;
  boxLayout?: boolean | undefined;
  loadingType?: string | undefined;
  /** Hex color; a leading `#` is removed (`#f7f7f7` → `f7f7f7`). */
  backgroundColor?: string | undefined;
  /** Hex color; a leading `#` is removed. */
  foregroundColor1?: string | undefined;
  /** Hex color; a leading `#` is removed. */
  foregroundColor2?: string | undefined;
  accountSelectorEnable?: boolean | undefined;
  accountSelectorMultiple?: boolean | undefined;
  accountSelectorNoTitle?: boolean | undefined;
  showAllAccounts?: boolean | undefined;
  showAllOperationsAccounts?: boolean | undefined;
  /** Correlation string echoed in the redirect, events and webhooks. */
  tag?: string | undefined;
  scheduleRefresh?: boolean | undefined;
  enhancedMFA?: boolean | undefined;
  skipEnhancedMFA?: boolean | undefined;
  detailsAndStatementEnable?: boolean | undefined;
  productType?: 'banking' | 'investment' | undefined;
  /** Resume/Reconnect at the MFA step. */
  requestId?: string | undefined;
  resumeSelectedAccounts?: boolean | undefined;
  oauthWindowRedirect?: boolean | undefined;
  /** Send events as JSON strings (`parseConnectMessage` reads both). */
  stringify?: boolean | undefined;
}

/**
 * Builds the Flinks Connect iframe URL from typed parameters.
 *
 * @example
 * buildConnectUrl({ baseUrl: 'https://toolbox-iframe.private.fin.ag/v2/', authorizeToken, demo: true })
 * // → 'https://toolbox-iframe.private.fin.ag/v2/?authorizeToken=…&demo=true'
 */
export function buildConnectUrl({ baseUrl, ...params }: ConnectUrlOptions): string {
  const url = new URL(baseUrl);
  for (const [key, value] of Object.entries(params)) {
    const text = String(value);
    if (value != null) url.searchParams.set(key, /Color/.test(key) ? text.replace(/^#/, '') : text);
  }
  return url.href;
}

/** What the redirect mode appends to `redirectUrl` (`?loginId=…&institution=…&tag=…`). */
export interface RedirectResult {
  loginId: string;
  institution: string | null;
  tag: string | null;
  requestId: string | null;
  /** From `accountId` (comma-separated or repeated); empty without an account selector. */
  accountIds: string[];
}

/**
 * Reads the Flinks redirect from a URL (`location.href`, or just `location.search`); other query
 * parameters are ignored. Null when there is no `loginId`.
 *
 * @example
 * readRedirectResult('https://shop.example/done?state=1&loginId=abc&institution=FlinksCapital')
 * // → { loginId: 'abc', institution: 'FlinksCapital', tag: null, requestId: null, accountIds: [] }
 */
export function readRedirectResult(href: string): RedirectResult | null {
  try {
    const query = new URL(href, 'http://localhost').searchParams;
    const loginId = query.get('loginId');
    return loginId
      ? {
          loginId,
          institution: query.get('institution'),
          tag: query.get('tag'),
          requestId: query.get('requestId'),
          accountIds: splitIds(query.getAll('accountId').join()),
        }
      : null;
  } catch {
    return null;
  }
}

/** `a1,a2` → `['a1', 'a2']`, dropping empty items. */
export function splitIds(list: string): string[] {
  return list.split(',').filter(Boolean);
}
