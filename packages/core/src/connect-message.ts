import { readRedirectResult, splitIds } from './connect-url';

/** Metadata Flinks may put on any step event; other fields it sends are kept as they are. */
export interface ConnectEventBase<Type extends string, Step extends string = string> {
  /** Our name for the step (noun-verb, kebab-case). */
  type: Type;
  /** The raw Flinks `step`, e.g. `INSTITUTION_SELECTED`. */
  step: Step;
  institution?: string;
  requestId?: string;
  tag?: string;
}

/** Steps that carry nothing beyond the common metadata, by our name and Flinks' step. */
interface PlainSteps {
  'app-mounted': 'APP_MOUNTED';
  'app-online': 'APP_ONLINE';
  'app-offline': 'APP_OFFLINE';
  'app-resized': 'APP_RESIZE';
  'consent-loaded': 'COMPONENT_LOAD_CONSENT';
  'consent-accepted': 'COMPONENT_ACCEPT_CONSENT';
  'consent-denied': 'COMPONENT_DENY_CONSENT';
  'provider-consent-accepted': 'COMPONENT_ACCEPT_PROVIDER_CONSENT';
  'terms-accepted': 'COMPONENT_ACCEPT_TERMS';
  'terms-denied': 'COMPONENT_DENY_TERMS';
  'terms-url-clicked': 'COMPONENT_CLICK_TERMS_URL';
  'institution-selected': 'INSTITUTION_SELECTED';
  'credentials-loaded': 'COMPONENT_LOAD_CREDENTIAL';
  'credentials-retry-loaded': 'COMPONENT_LOAD_CREDENTIAL_RETRY';
  'credentials-submitted': 'SUBMIT_CREDENTIAL';
  'reset-password-clicked': 'COMPONENT_CLICK_RESET_PASSWORD';
  'mfa-retry-loaded': 'COMPONENT_LOAD_MFA_RETRY';
  'mfa-submitted': 'SUBMIT_MFA';
  'mfa-help-opened': 'COMPONENT_HELP2FA_INFO';
  'mfa-troubleshooting-opened': 'COMPONENT_HELP2FA_TROUBLESHOOTING';
  'enhanced-mfa-has-questions': 'ENHANCED_MFA_HAS_QUESTIONS';
  'enhanced-mfa-no-questions': 'ENHANCED_MFA_NO_QUESTIONS';
  'account-selected': 'ACCOUNT_SELECTED';
  'session-closed': 'COMPONENT_CLOSE_SESSION';
  'institution-disabled': 'DISABLED_INSTITUTION';
  'popup-opened': 'POPUP_OPENED';
  'popup-blocked': 'POPUP_BLOCKED';
  'token-invalid': 'TOKEN_INVALID';
}

/** A step event without extra fields (`app-mounted`, `institution-selected`, …). */
export type ConnectPlainEvent = {
  [Type in keyof PlainSteps]: ConnectEventBase<Type, PlainSteps[Type]>;
}[keyof PlainSteps];

/** `COMPONENT_LOAD_INSTITUTION_SELECTOR`: the bank list is shown. */
export interface InstitutionSelectorLoadedEvent
  extends ConnectEventBase<'institution-selector-loaded', 'COMPONENT_LOAD_INSTITUTION_SELECTOR'> {
  cached?: boolean;
}

/** `COMPONENT_LOAD_MFA`: a security challenge is shown. */
export interface MfaLoadedEvent extends ConnectEventBase<'mfa-loaded', 'COMPONENT_LOAD_MFA'> {
  mfaTypes?: unknown[];
}

/** `COMPONENT_LOAD_ACCOUNT_SELECTION`: the account selector is shown. */
export interface AccountsLoadedEvent
  extends ConnectEventBase<'accounts-loaded', 'COMPONENT_LOAD_ACCOUNT_SELECTION'> {
  totalAccounts?: number;
  displayedAccounts?: number;
}

/** `REDIRECT`: the link succeeded; from either payload shape (top-level fields or `url`). */
export interface RedirectEvent extends ConnectEventBase<'redirect', 'REDIRECT'> {
  loginId: string;
  /** Accounts the user picked in the account selector (empty without one). */
  accountIds: string[];
  url?: string;
}

/** A `{ flinksCode }` event: Flinks reports an error (`INVALID_PASSWORD`, `DISABLED_LOGIN`, …). */
export interface ConnectErrorEvent extends ConnectEventBase<'error'> {
  flinksCode: string;
}

/** A well-formed event with a step this version does not know; treat it as a no-op. */
export type UnknownConnectEvent = ConnectEventBase<'unknown'>;

/** Every validated message of the Flinks Connect iframe, discriminated by `type`. */
export type ConnectEvent =
  | ConnectPlainEvent
  | InstitutionSelectorLoadedEvent
  | MfaLoadedEvent
  | AccountsLoadedEvent
  | RedirectEvent
  | ConnectErrorEvent
  | UnknownConnectEvent;

/** Our names for the event types, e.g. `institution-selected`. */
export type ConnectEventType = ConnectEvent['type'];

// Every step we know, in Flinks' words, without the `COMPONENT_` prefix of the first ones;
// `=name` where our name does not follow `typeOf`'s rule.
const COMPONENT_STEPS =
  'LOAD_CONSENT ACCEPT_CONSENT DENY_CONSENT ACCEPT_PROVIDER_CONSENT ACCEPT_TERMS DENY_TERMS CLICK_TERMS_URL LOAD_INSTITUTION_SELECTOR LOAD_CREDENTIAL LOAD_CREDENTIAL_RETRY CLICK_RESET_PASSWORD LOAD_MFA LOAD_MFA_RETRY HELP2FA_INFO=mfa-help-opened HELP2FA_TROUBLESHOOTING=mfa-troubleshooting-opened LOAD_ACCOUNT_SELECTION=accounts-loaded CLOSE_SESSION';
const OTHER_STEPS =
  'APP_MOUNTED APP_ONLINE APP_OFFLINE APP_RESIZE=app-resized INSTITUTION_SELECTED SUBMIT_CREDENTIAL SUBMIT_MFA ENHANCED_MFA_HAS_QUESTIONS ENHANCED_MFA_NO_QUESTIONS ACCOUNT_SELECTED DISABLED_INSTITUTION=institution-disabled POPUP_OPENED POPUP_BLOCKED TOKEN_INVALID REDIRECT';

const PAST: Record<string, string> = {
  LOAD: 'loaded',
  ACCEPT: 'accepted',
  DENY: 'denied',
  CLICK: 'clicked',
  SUBMIT: 'submitted',
  CLOSE: 'closed',
};

// The known fields, by the kind of value they must hold (null means absent).
const FIELDS = {
  string: 'step institution requestId tag url loginId flinksCode',
  number: 'totalAccounts displayedAccounts',
  boolean: 'cached',
  array: 'mfaTypes',
};

// `COMPONENT_LOAD_MFA` → `mfa-loaded`: drop the prefix, move the verb last in the past tense.
function typeOf(step: string): string {
  const rest = step.replace(/^COMPONENT_/, '');
  for (const entry of (rest === step ? OTHER_STEPS : COMPONENT_STEPS).split(' ')) {
    const [known, name] = entry.split('=');
    if (known !== rest) continue;
    const words = rest.replace('CREDENTIAL', 'CREDENTIALS').split('_');
    const verb = PAST[words[0]!];
    return name ?? (verb ? [...words.slice(1), verb] : words).join('-').toLowerCase();
  }
  return 'unknown';
}

/**
 * Validates one `message` payload of the Flinks Connect iframe and types it.
 *
 * Accepts objects and JSON strings (`stringify=true`), both REDIRECT shapes and `{ flinksCode }`
 * error events. Unknown steps give `{ type: 'unknown', step }`; anything malformed (not an object,
 * no `step` and no `flinksCode`, REDIRECT without a loginId, a known field of the wrong type)
 * gives `null`. Never throws.
 *
 * @example
 * parseConnectMessage({ step: 'INSTITUTION_SELECTED', institution: 'FlinksCapital' })
 * // → { type: 'institution-selected', step: 'INSTITUTION_SELECTED', institution: 'FlinksCapital' }
 */
export function parseConnectMessage(data: unknown): ConnectEvent | null {
  try {
    const raw: unknown = typeof data === 'string' ? JSON.parse(data) : data;
    if (typeof raw !== 'object' || !raw || Array.isArray(raw)) return null;
    const event: Record<string, unknown> = { ...raw };
    for (const [kind, keys] of Object.entries(FIELDS)) {
      for (const key of keys.split(' ')) {
        const value = event[key];
        if (value == null) delete event[key];
        else if ((Array.isArray(value) ? 'array' : typeof value) !== kind) return null;
      }
    }
    const step = event.step as string | undefined;
    if (event.flinksCode) return { ...event, type: 'error', step: step || 'ERROR' } as ConnectEvent;
    if (!step) return null;
    if (step === 'REDIRECT') {
      // REDIRECT may carry its fields inside `url` only; those at the top level win.
      const fromUrl = event.url ? readRedirectResult(event.url as string) : null;
      for (const key of ['loginId', 'institution', 'requestId', 'tag'] as const) {
        event[key] ??= fromUrl?.[key];
        if (event[key] == null) delete event[key];
      }
      let ids = event.accountId ?? fromUrl?.accountIds ?? [];
      if (typeof ids === 'string') ids = splitIds(ids);
      if (!event.loginId || !Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
        return null;
      }
      event.accountIds = ids;
    }
    return { ...event, type: typeOf(step), step } as ConnectEvent;
  } catch {
    return null;
  }
}
