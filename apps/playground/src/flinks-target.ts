import { PlaygroundError } from './errors';

/** Where the proxy finds Flinks: the in-process simulator, or a real Flinks (Toolbox) from env. */
export type FlinksTarget =
  | { kind: 'simulator' }
  | {
      kind: 'remote';
      /** The `FLINKS_*` variables to hand the proxy as they are. */
      env: Record<string, string>;
      /** Origin of the Connect iframe, for the pages' `frame-src`. */
      connectOrigin: string;
    };

/** The Toolbox iframe, used when `FLINKS_API_URL` is set without `FLINKS_CONNECT_URL`. */
export const TOOLBOX_CONNECT_URL = 'https://toolbox-iframe.private.fin.ag/v2/';

/**
 * Reads the target from the environment: with `FLINKS_API_URL` set, every `FLINKS_*` variable
 * goes to the proxy unchanged (`FLINKS_CONNECT_URL` defaults to the Toolbox iframe,
 * `FLINKS_DEMO` to `true`) and no simulator starts; otherwise the simulator is used.
 */
export function readFlinksTarget(env: Record<string, string | undefined>): FlinksTarget {
  if (env.FLINKS_API_URL === undefined || env.FLINKS_API_URL === '') return { kind: 'simulator' };
  const passed: Record<string, string> = {
    FLINKS_CONNECT_URL: TOOLBOX_CONNECT_URL,
    FLINKS_DEMO: 'true',
  };
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('FLINKS_') && value !== undefined && value !== '') passed[name] = value;
  }
  const connectUrl = passed.FLINKS_CONNECT_URL ?? TOOLBOX_CONNECT_URL;
  if (!URL.canParse(connectUrl) || !URL.canParse(env.FLINKS_API_URL)) {
    throw new PlaygroundError(
      'invalid_config',
      'FLINKS_API_URL and FLINKS_CONNECT_URL must be absolute URLs, e.g. https://toolbox-api.private.fin.ag',
    );
  }
  return { kind: 'remote', env: passed, connectOrigin: new URL(connectUrl).origin };
}
