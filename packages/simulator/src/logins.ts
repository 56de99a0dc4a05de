import { SimulatorError } from './errors.js';
import { randomGuid } from './random.js';
import type { LoginRecord, SimulatorState } from './state.js';
import { findInstitution, userBehaviour } from './toolbox.js';

/**
 * A loginId for `username` as if linked through Connect. The same username at the same
 * institution gets the same loginId until DeleteCard (Flinks ties a loginId to both).
 */
export function createLogin(
  state: SimulatorState,
  username: string,
  options: {
    institution?: string;
    tag?: string | null;
    holdDetailMs?: number;
    lastRefreshError?: string | null;
  } = {},
): LoginRecord {
  const behaviour = userBehaviour(username);
  if (!behaviour) {
    throw new SimulatorError(
      'unknown_username',
      `Unknown Toolbox username "${username}": use Greatday, greatday_nomfa, test_disabled_account, test_service_unavailable, test_dispatched or test_pending.`,
    );
  }
  const institution = options.institution ?? 'FlinksCapital';
  if (!findInstitution(institution)) {
    throw new SimulatorError(
      'unknown_institution',
      `Unknown institution "${institution}": use FlinksCapital, RBC, TD, BMO or Desjardins.`,
    );
  }
  for (const login of state.logins.values()) {
    if (login.username === username && login.institution === institution) {
      if (options.tag) login.tag = options.tag;
      if (options.holdDetailMs !== undefined)
        login.holdDetailMs = Math.max(0, options.holdDetailMs);
      if (options.lastRefreshError !== undefined) login.lastRefreshError = options.lastRefreshError;
      return login;
    }
  }
  const login: LoginRecord = {
    id: randomGuid(state.idRandom),
    username,
    institution,
    behaviour,
    createdAt: state.clock.now(),
    tag: options.tag ?? null,
    holdDetailMs: options.holdDetailMs === undefined ? null : Math.max(0, options.holdDetailMs),
    lastRefreshAt: state.clock.now(),
    lastRefreshError: options.lastRefreshError ?? null,
  };
  state.logins.set(login.id, login);
  return login;
}

/** Mints a single-use authorize token. */
export function issueToken(state: SimulatorState): string {
  const token = globalThis.crypto.randomUUID();
  state.tokens.set(token, { issuedAt: state.clock.now(), used: false });
  return token;
}

/** Uses up `token`; false when unknown, expired or already used. */
export function consumeToken(state: SimulatorState, token: string | undefined): boolean {
  const record = token ? state.tokens.get(token) : undefined;
  if (!record || record.used) return false;
  record.used = true;
  return state.clock.now() < record.issuedAt + state.config.tokenTtlMs;
}

/** Records a successful refresh at the bank (a live Authorize, an answered MFA, a Connect link). */
export function refreshed(state: SimulatorState, login: LoginRecord): void {
  login.lastRefreshAt = state.clock.now();
  login.lastRefreshError = null;
}
