import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { HOST, listenWithFallback } from './ports';

/** What the pages need to know at request time (the proxy starts after this server). */
export interface PagesConfig {
  /** Base URL of the proxy the browser talks to. */
  proxyUrl: string;
  /** Origin of the Flinks Connect iframe (`frame-src`). */
  connectOrigin: string;
}

/** A forwarded payload from the proxy (`FLINKIT_FORWARD_URL`), raw. Returns the HTTP status. */
export type ForwardHandler = (rawBody: string, headers: Record<string, string>) => Promise<number>;

/** Options of {@link startPagesServer}. */
export interface PagesServerOptions {
  /** Folder of the built pages (`index.html`, `react/`, `script-tag.html`, `flinkit.js`). */
  root: string;
  /** 0 = a free port; a taken port falls back to a free one. */
  port: number;
  config: () => PagesConfig;
  /** Mints the demo user's token: the job of the host app's backend in a real product. */
  signToken: () => Promise<string> | string;
  /** Receives `POST /api/webhooks/flinkit`; absent → 404. */
  onForward?: ForwardHandler;
}

/** The running demo-pages server. */
export interface PagesServer {
  /** `http://127.0.0.1:PORT` (no trailing slash); it is also the pages' origin. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

const MAX_FORWARD_BYTES = 10 * 1024 * 1024;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The Content-Security-Policy of every page: nothing inline except our nonce'd widget style. */
export function contentSecurityPolicy(config: PagesConfig, nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    `connect-src 'self' ${new URL(config.proxyUrl).origin}`,
    `frame-src ${config.connectOrigin}`,
    "base-uri 'none'",
    "object-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, { error: { code, message, recoverable: false } });
}

/** Maps a URL path to a file under `root`, or null when it would leave `root`. */
export function resolveStaticPath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = normalize(decoded.endsWith('/') ? `${decoded}index.html` : decoded);
  const file = join(root, relative);
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

async function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function serveFile(
  options: PagesServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
): Promise<void> {
  let file = resolveStaticPath(options.root, pathname);
  if (file !== null && (await stat(file).catch(() => null))?.isDirectory()) {
    file = join(file, 'index.html');
  }
  const content = file === null ? null : await readFile(file).catch(() => null);
  if (file === null || content === null) {
    sendError(response, 404, 'not_found', `Nothing at ${pathname}. Open / for the playground.`);
    return;
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const headers: Record<string, string> = {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': pathname.startsWith('/assets/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
  };
  let body: Buffer | string = content;
  if (extname(file) === '.html') {
    const config = options.config();
    const nonce = randomBytes(16).toString('base64');
    headers['content-security-policy'] = contentSecurityPolicy(config, nonce);
    body = content
      .toString('utf8')
      .replaceAll('{{nonce}}', nonce)
      .replaceAll('{{proxyUrl}}', escapeHtml(config.proxyUrl));
  }
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

async function handle(
  options: PagesServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  if (pathname === '/api/webhooks/flinkit' && options.onForward !== undefined) {
    if (method !== 'POST') return sendError(response, 405, 'method_not_allowed', 'Use POST.');
    const body = await readBody(request, MAX_FORWARD_BYTES);
    if (body === null) return sendError(response, 413, 'payload_too_large', 'Body over 10 MB.');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers[name] = value;
    }
    const status = await options.onForward(body, headers);
    response.writeHead(status).end();
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return sendError(response, 405, 'method_not_allowed', 'The demo pages answer GET only.');
  }
  if (pathname === '/api/token') {
    // In a real product the host app's backend does this for its signed-in user.
    return sendJson(response, 200, { token: await options.signToken() });
  }
  if (pathname === '/api/config') {
    return sendJson(response, 200, { proxyUrl: options.config().proxyUrl });
  }
  return serveFile(options, request, response, pathname);
}

/**
 * Serves the built demo pages plus the two routes a host app's backend would have:
 * `GET /api/token` (`{ token }`, a short-lived user token) and `GET /api/config`
 * (`{ proxyUrl }`). HTML pages get a strict CSP with a fresh nonce (`{{nonce}}` and
 * `{{proxyUrl}}` placeholders are filled in).
 */
export async function startPagesServer(options: PagesServerOptions): Promise<PagesServer> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch(() => {
      if (!response.headersSent)
        sendError(response, 500, 'internal_error', 'See the playground output.');
      else response.destroy();
    });
  });
  const port = await listenWithFallback(server, options.port, HOST);
  return {
    url: `http://${HOST}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
