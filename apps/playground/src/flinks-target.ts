import { TOOLBOX } from '@flinkit/simulator';
import { PlaygroundError } from './errors';

/** Where the proxy finds Flinks: the in-process simulator, or a real Flinks from env. */
export type FlinksTarget =
  | { kind: 'simulator' }
  | {
      kind: 'remote';
      /** `FLINKS_INSTANCE`, or null when only `FLINKS_API_URL` names the Flinks. */
      instance: string | null;
      apiUrl: string;
      connectUrl: string;
      /** The `FLINKS_*` variables to hand the proxy. */
      env: Record<string, string>;
      /** Origin of the Connect iframe, for the pages' `frame-src`. */
      connectOrigin: string;
    };

/** The Toolbox iframe, used when `FLINKS_API_URL` is set without `FLINKS_CONNECT_URL`. */
export const TOOLBOX_CONNECT_URL = 'https://toolbox-iframe.private.fin.ag/v2/';

const CREDENTIALS = ['FLINKS_CUSTOMER_ID', 'FLINKS_SECRET_KEY', 'FLINKS_API_KEY'] as const;

/** The Toolbox's credentials are public (Flinks publishes them), so `toolbox` needs none. */
const TOOLBOX_CREDENTIALS: Record<(typeof CREDENTIALS)[number], string> = {
  FLINKS_CUSTOMER_ID: TOOLBOX.customerId,
  FLINKS_SECRET_KEY: TOOLBOX.secretKey,
  FLINKS_API_KEY: TOOLBOX.apiKey,
};

function flinksVariables(env: Record<string, string | undefined>): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('FLINKS_') && value !== undefined && value !== '') found[name] = value;
  }
  return found;
}

function invalid(message: string): PlaygroundError {
  return new PlaygroundError('invalid_config', message);
}

/**
 * Reads the target from the environment. `FLINKS_INSTANCE` is the switch to a real Flinks:
 * `FLINKS_INSTANCE=toolbox` alone talks to Flinks' public Toolbox with its published
 * credentials; another instance needs `FLINKS_CUSTOMER_ID`, `FLINKS_SECRET_KEY` and
 * `FLINKS_API_KEY`. `FLINKS_API_URL` (and `FLINKS_CONNECT_URL`, default the Toolbox iframe)
 * names a Flinks by URL instead. `FLINKS_DEMO` defaults to `true`. With neither switch the
 * simulator is used, and any other `FLINKS_*` variable is an error rather than silently ignored.
 *
 * @throws PlaygroundError `invalid_config`; its message names variables, never their values.
 */
export function readFlinksTarget(env: Record<string, string | undefined>): FlinksTarget {
  const given = flinksVariables(env);
  const instance = given.FLINKS_INSTANCE ?? null;
  if (instance === null && given.FLINKS_API_URL === undefined) {
    const names = Object.keys(given).sort();
    if (names.length === 0) return { kind: 'simulator' };
    throw invalid(
      `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} set, but without FLINKS_INSTANCE the playground runs its own simulator. Set FLINKS_INSTANCE=toolbox (or your instance) to use a real Flinks, or unset ${names.length === 1 ? 'it' : 'them'}.`,
    );
  }
  if (instance !== null && !/^[a-z0-9-]+$/i.test(instance)) {
    throw invalid('FLINKS_INSTANCE must be an instance name such as toolbox.');
  }
  const apiUrl = given.FLINKS_API_URL ?? `https://${instance}-api.private.fin.ag`;
  const connectUrl =
    given.FLINKS_CONNECT_URL ??
    (instance === null ? TOOLBOX_CONNECT_URL : `https://${instance}-iframe.private.fin.ag/v2/`);
  if (!URL.canParse(apiUrl) || !URL.canParse(connectUrl)) {
    throw invalid(
      'FLINKS_API_URL and FLINKS_CONNECT_URL must be absolute URLs, e.g. https://toolbox-api.private.fin.ag',
    );
  }
  const passed: Record<string, string> = {
    FLINKS_DEMO: 'true',
    ...(instance === 'toolbox' ? TOOLBOX_CREDENTIALS : {}),
    ...given,
    FLINKS_API_URL: apiUrl,
    FLINKS_CONNECT_URL: connectUrl,
  };
  const missing = CREDENTIALS.filter((name) => passed[name] === undefined);
  if (missing.length > 0) {
    throw invalid(
      `${missing.join(', ')} missing: ${instance === null ? 'the Flinks at FLINKS_API_URL' : `the ${instance} instance`} needs your Flinks credentials (only FLINKS_INSTANCE=toolbox has defaults).`,
    );
  }
  return {
    kind: 'remote',
    instance,
    apiUrl,
    connectUrl,
    env: passed,
    connectOrigin: new URL(connectUrl).origin,
  };
}

/**
 * Which Flinks the playground talks to, in words for the start-up banner. Hosts only: the
 * banner prints a single URL, the one to open.
 */
export function describeFlinksTarget(target: FlinksTarget): string {
  if (target.kind === 'simulator') {
    return 'the Flinks simulator, offline (FLINKS_INSTANCE=toolbox switches to the real Flinks Toolbox)';
  }
  const where =
    target.instance === null ? 'a real Flinks' : `the real Flinks "${target.instance}" instance`;
  return `${where}: API ${new URL(target.apiUrl).host}, Connect ${new URL(target.connectUrl).host}`;
}
