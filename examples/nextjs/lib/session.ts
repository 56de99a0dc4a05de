import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The example's own sign-in: a cookie holding the user id and an HMAC of it. It stands in for
 * your real session (NextAuth, Clerk, iron-session…); flinkit only needs `userFromRequest`.
 */
export const SESSION_COOKIE = 'example_session';

function secret(): string {
  const value = process.env.SESSION_SECRET ?? '';
  if (value.length < 32) {
    throw new Error('SESSION_SECRET: set a random secret of at least 32 characters.');
  }
  return value;
}

function mac(userId: string): string {
  return createHmac('sha256', secret()).update(userId).digest('base64url');
}

/** The cookie value for `userId`: `<userId>.<hmac>`. */
export function signSession(userId: string): string {
  return `${userId}.${mac(userId)}`;
}

/** The user id in a session cookie value, or null when it is absent or tampered with. */
export function readSession(value: string | undefined): string | null {
  const dot = value?.lastIndexOf('.') ?? -1;
  if (!value || dot <= 0) return null;
  const userId = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(mac(userId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
}

/** The signed-in user of a request (its `Cookie` header), or null. */
export function userFromRequest(request: Request): string | null {
  const cookies = request.headers.get('cookie') ?? '';
  for (const part of cookies.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return readSession(decodeURIComponent(rest.join('=')));
  }
  return null;
}
