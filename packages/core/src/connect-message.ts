import { readRedirectResult, splitIds } from './connect-url';

/** Metadata Flinks may put on any step event; other fields it sends are kept as they are. */
export interface ConnectEventBase<Type extends string, Step extends string = string> {
  /** Our name for the step: Flinks' words in kebab-case, without `COMPONENT_`. */
  type: Type;
  /** The raw Flinks `step`, e.g. `INSTITUTION_SELECTED`. */
  step: Step;
  institution?: string;
  requestId?: string;
  tag?: string;
}

/**
 * Every step of apps/docs/flinks.md#postmessage-events that carries nothing beyond the common
 * metadata.
 */
type PlainStep =
  | 'APP_MOUNTED'
  | 'APP_ONLINE'
  | 'APP_OFFLINE'
  | 'APP_RESIZE'
  | 'COMPONENT_LOAD_CONSENT'
  | 'COMPONENT_ACCEPT_CONSENT'
  | 'COMPONENT_DENY_CONSENT'
  | 'COMPONENT_ACCEPT_PROVIDER_CONSENT'
  | 'COMPONENT_ACCEPT_TERMS'
  | 'COMPONENT_DENY_TERMS'
  | 'COMPONENT_CLICK_TERMS_URL'
  | 'INSTITUTION_SELECTED'
  | 'COMPONENT_LOAD_CREDENTIAL'
  | 'COMPONENT_LOAD_CREDENTIAL_RETRY'
  | 'SUBMIT_CREDENTIAL'
  | 'COMPONENT_CLICK_RESET_PASSWORD'
  | 'COMPONENT_LOAD_MFA_RETRY'
  | 'SUBMIT_MFA'
  | 'COMPONENT_HELP2FA_INFO'
  | 'COMPONENT_HELP2FA_TROUBLESHOOTING'
  | 'ENHANCED_MFA_HAS_QUESTIONS'
  | 'ENHANCED_MFA_NO_QUESTIONS'
  | 'ACCOUNT_SELECTED'
  | 'COMPONENT_CLOSE_SESSION'
  | 'DISABLED_INSTITUTION'
  | 'POPUP_OPENED'
  | 'POPUP_BLOCKED'
  | 'TOKEN_INVALID';

type Kebab<Words extends string> = Words extends `${infer Head}_${infer Tail}`
  ? `${Lowercase<Head>}-${Kebab<Tail>}`
  : Lowercase<Words>;

/** Our name of a Flinks step: `COMPONENT_LOAD_MFA` → `load-mfa`, `INSTITUTION_SELECTED` → `institution-selected`. */
export type ConnectEventTypeOf<Step extends string> = Step extends `COMPONENT_${infer Rest}`
  ? Kebab<Rest>
  : Kebab<Step>;

/** A step event without extra fields (`app-mounted`, `institution-selected`, …). */
export type ConnectPlainEvent = {
  [Step in PlainStep]: ConnectEventBase<ConnectEventTypeOf<Step>, Step>;
}[PlainStep];

/** `COMPONENT_LOAD_INSTITUTION_SELECTOR`: the bank list is shown. */
export interface InstitutionSelectorLoadedEvent
  extends ConnectEventBase<'load-institution-selector', 'COMPONENT_LOAD_INSTITUTION_SELECTOR'> {
  cached?: boolean;
}

/** `COMPONENT_LOAD_MFA`: a security challenge is shown. */
export interface MfaLoadedEvent extends ConnectEventBase<'load-mfa', 'COMPONENT_LOAD_MFA'> {
  mfaTypes?: unknown[];
}

/** `COMPONENT_LOAD_ACCOUNT_SELECTION`: the account selector is shown. */
export interface AccountsLoadedEvent
  extends ConnectEventBase<'load-account-selection', 'COMPONENT_LOAD_ACCOUNT_SELECTION'> {
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

// Every step of apps/docs/flinks.md#postmessage-events by its type, space-delimited for an exact
// lookup; `~` marks the steps Flinks spells with a `COMPONENT_` prefix.
const TYPES =
  ' app-mounted app-online app-offline app-resize ~load-consent ~accept-consent ~deny-consent ~accept-provider-consent ~accept-terms ~deny-terms ~click-terms-url ~load-institution-selector institution-selected ~load-credential ~load-credential-retry submit-credential ~click-reset-password ~load-mfa ~load-mfa-retry submit-mfa ~help2fa-info ~help2fa-troubleshooting enhanced-mfa-has-questions enhanced-mfa-no-questions ~load-account-selection account-selected ~close-session disabled-institution popup-opened popup-blocked token-invalid redirect ';

// The known fields, by the kind of value they must hold (null means absent).
const FIELDS = {
  string: 'step institution requestId tag url loginId flinksCode',
  number: 'totalAccounts displayedAccounts',
  boolean: 'cached',
  array: 'mfaTypes',
};

// One rule, so a type reads as the step in Flinks' docs: drop `COMPONENT_`, kebab-case the rest.
// Only Flinks' own spelling is known (`app-mounted` or `App_Mounted` is not a step).
function typeOf(step: string): string {
  const type = step
    .replace(/^COMPONENT_/, '~')
    .toLowerCase()
    .replace(/_/g, '-');
  return /^[A-Z\d_]+$/.test(step) && TYPES.includes(` ${type} `)
    ? type.replace('~', '')
    : 'unknown';
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
      // REDIRECT may carry its fields inside `url` only; those at the top level win. A `url` that
      // is not an absolute http(s) URL (`javascript:`, `data:`, relative) counts for nothing.
      const http = isHttpUrl(event.url);
      if (!http) delete event.url;
      const fromUrl = http ? readRedirectResult(event.url as string) : null;
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

function isHttpUrl(value: unknown): value is string {
  try {
    return /^https?:$/.test(new URL(value as string).protocol);
  } catch {
    return false;
  }
}
