import { FlinkitError, type GetToken } from '@flinkit/core';
import { WidgetError } from './errors.js';
import type { WidgetLanguage, WidgetMode, WidgetOptions, WidgetTheme } from './types.js';

/** `window.FlinkitConfig`: page-wide settings a site can define before the script loads. */
export interface FlinkitGlobalConfig {
  /** Returns the end user's bearer token for the proxy; used when no `data-token-url` is set. */
  getToken?: GetToken;
}

/** Options for a `[data-flinkit]` element, from its data attributes and `window.FlinkitConfig`. */
export function readElementOptions(
  element: HTMLElement,
  config: FlinkitGlobalConfig | undefined,
  defaults: Pick<WidgetOptions, 'nonce'> = {},
): WidgetOptions {
  const data = element.dataset;
  if (!data.proxyUrl) {
    throw new WidgetError(
      'invalid_option',
      'Add data-proxy-url (your flinkit proxy) to the [data-flinkit] element.',
    );
  }
  const params: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(data)) {
    // data-param-consent-enable → dataset.paramConsentEnable → consentEnable
    if (!key.startsWith('param') || key.length < 6 || value === undefined) continue;
    const name = key.charAt(5).toLowerCase() + key.slice(6);
    params[name] = value === 'true' ? true : value === 'false' ? false : value;
  }
  return {
    proxyUrl: data.proxyUrl,
    getToken: config?.getToken,
    tokenUrl: data.tokenUrl,
    // Checked by mount(), like an option given in code.
    language: data.language as WidgetLanguage | undefined,
    nonce: data.nonce ?? defaults.nonce,
    tag: data.tag,
    params,
    // Checked by mount() too.
    mode: data.mode as WidgetMode | undefined,
    buttonLabel: data.buttonLabel,
    theme: data.theme as WidgetTheme | undefined,
  };
}

/** One of `choices` (the first when `value` is undefined), or an `invalid_option` error. */
export function parseChoice<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
): T {
  if (value === undefined) return choices[0]!;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new WidgetError(
    'invalid_option',
    `Use ${name} ${choices.map((choice) => `"${choice}"`).join(' or ')}, not "${value}".`,
  );
}

/** `en` or `fr`, or an `invalid_option` error naming the bad value. */
export function parseLanguage(value: string): WidgetLanguage {
  return parseChoice('language', value, ['en', 'fr']);
}

/** The explicit language, else `fr` when `<html lang>` is French, else `en`. */
export function resolveLanguage(language: string | undefined, document: Document): WidgetLanguage {
  if (language !== undefined) return parseLanguage(language);
  return document.documentElement.lang.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** An absolute http(s) URL, resolved against the page; `invalid_option` otherwise. */
export function resolveUrl(value: string, document: Document, name: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value, document.baseURI);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new WidgetError('invalid_option', `${name} must be an http(s) URL, not "${value}".`);
  }
  return url.href;
}

/**
 * A `getToken` that reads the token from the host site's endpoint (`GET`, cookies included),
 * which answers `{ "token": "…" }` or the bare token; a token is reused for a minute.
 */
export function tokenFromUrl(url: string, fetchToken: typeof fetch): GetToken {
  let cached: Promise<string> | null = null;
  let fetchedAt = 0;
  return () => {
    if (!cached || Date.now() - fetchedAt > 60_000) {
      fetchedAt = Date.now();
      cached = fetchToken(url, { credentials: 'include' }).then(async (response) => {
        let token: unknown = (await response.text()).trim();
        try {
          token = (JSON.parse(token as string) as { token?: unknown }).token;
        } catch {
          // not JSON: the body is the token itself
        }
        if (!response.ok || typeof token !== 'string' || !token) {
          // A core error, so the flow reports it as is (`flinkit:error`, code `token_failed`).
          throw new FlinkitError({
            code: 'token_failed',
            message: `The token endpoint answered ${response.status} without {"token":"…"}: is the user signed in?`,
            recoverable: response.status >= 500 || response.status === 401,
          });
        }
        return token;
      });
      cached.catch(() => {
        cached = null;
      });
    }
    return cached;
  };
}
