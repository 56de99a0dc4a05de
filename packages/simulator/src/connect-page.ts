import { readFile } from 'node:fs/promises';
import type { ConnectApi } from './connect-api.js';

/** A response of the iframe routes. */
export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Only same-origin scripts, styles and fetches; any site may embed the page (as Flinks allows per domain). */
export const CONNECT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors *";

const SECURITY_HEADERS = {
  'content-security-policy': CONNECT_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** A page of the iframe: one stylesheet and one module script build it, nothing inline (CSP). */
function pageShell(title: string, script: string, bodyAttributes = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/v2/app.css">
<script type="module" src="/v2/${script}"></script>
</head>
<body${bodyAttributes}>
<main id="app" aria-live="polite"></main>
</body>
</html>
`;
}

/** The page shell; app.js builds every screen. */
export function connectHtml(redirectShape: 'loginId' | 'url'): string {
  return pageShell(
    'Flinks Connect (simulator)',
    'app.js',
    ` data-redirect-shape="${redirectShape}"`,
  );
}

/** The bank's own sign-in page of an OAuth institution (opened in a popup, or the whole window). */
export const BANK_HTML = pageShell('Your bank (simulator)', 'bank.js');

/**
 * Serves `/v2/`, `/v2/oauth` (an OAuth bank's page), `/v2/{app,dom,text,oauth-flow,bank,redirect}.js`,
 * `/v2/app.css` and `/v2/api/*` for one simulator.
 */
export function createConnectPage(api: ConnectApi, redirectShape: 'loginId' | 'url') {
  const assets = new Map<string, Promise<string>>();
  const asset = (name: string) => {
    let cached = assets.get(name);
    if (!cached) {
      cached = readAsset(name);
      assets.set(name, cached);
    }
    return cached;
  };
  const respond = (status: number, type: string, body: string): PageResponse => ({
    status,
    headers: { 'content-type': type, ...SECURITY_HEADERS },
    body,
  });

  return {
    /** Null when `path` is not an iframe route. */
    async handle(method: string, path: string, body: string): Promise<PageResponse | null> {
      if (path === '/v2' || path === '/v2/' || path === '/v2/index.html') {
        if (method !== 'GET' && method !== 'HEAD') return null;
        return respond(200, 'text/html; charset=utf-8', connectHtml(redirectShape));
      }
      if (path === '/v2/oauth' && (method === 'GET' || method === 'HEAD')) {
        return respond(200, 'text/html; charset=utf-8', BANK_HTML);
      }
      if (/^\/v2\/(app|text|dom|oauth-flow|bank|redirect)\.js$/.test(path) && method === 'GET') {
        return respond(200, 'text/javascript; charset=utf-8', await asset(path.slice(4)));
      }
      if (path === '/v2/app.css' && method === 'GET') {
        return respond(200, 'text/css; charset=utf-8', await asset('app.css'));
      }
      const action = /^\/v2\/api\/([a-z]+)$/.exec(path)?.[1];
      if (action && method === 'POST') {
        const result = api.handle(action, body);
        return respond(
          result.status,
          'application/json; charset=utf-8',
          JSON.stringify(result.body),
        );
      }
      return null;
    },
  };
}

/** Reads a static asset from src/connect (source runs) or ../src/connect (from dist). */
async function readAsset(name: string): Promise<string> {
  const candidates = [
    new URL(`./connect/${name}`, import.meta.url),
    new URL(`../src/connect/${name}`, import.meta.url),
  ];
  for (const candidate of candidates) {
    try {
      return await readFile(candidate, 'utf8');
    } catch {
      // try the next location
    }
  }
  throw new Error(
    `@flinkit/simulator: cannot find the iframe asset ${name}; is src/connect shipped?`,
  );
}
