import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createUserTokenVerifier, signUserToken, verifyUserToken } from './auth';
import { HttpError } from './http-error';

const SECRET = 'a-user-token-secret-of-32-chars-min!';
const NOW = Date.parse('2026-05-01T00:00:00Z');
const now = () => NOW;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function rejects(token: string, at = now): string {
  try {
    verifyUserToken(token, SECRET, at);
  } catch (error) {
    expect(HttpError.isInstance(error) && error.status).toBe(401);
    return (error as Error).message;
  }
  throw new Error('token accepted');
}

describe('signUserToken / verifyUserToken', () => {
  it('round-trips the user id with iat and exp', () => {
    const token = signUserToken({ userId: 'alice', secret: SECRET, ttlSeconds: 60, now });
    expect(verifyUserToken(token, SECRET, now)).toEqual({ userId: 'alice' });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
    expect(payload).toEqual({ sub: 'alice', iat: NOW / 1000, exp: NOW / 1000 + 60 });
  });

  it('rejects an expired token', () => {
    const token = signUserToken({ userId: 'alice', secret: SECRET, ttlSeconds: 60, now });
    expect(rejects(token, () => NOW + 60_000)).toMatch(/expired/);
  });

  it('rejects a tampered payload and a token signed with another secret', () => {
    const token = signUserToken({ userId: 'alice', secret: SECRET, now });
    const [header, , signature] = token.split('.');
    const forged = `${header}.${b64({ sub: 'bob', iat: NOW / 1000, exp: NOW / 1000 + 900 })}.${signature}`;
    expect(rejects(forged)).toMatch(/signature/);
    expect(
      rejects(
        signUserToken({ userId: 'alice', secret: 'another-secret-of-32-characters-xx', now }),
      ),
    ).toMatch(/signature/);
  });

  it('rejects alg none and any other algorithm', () => {
    const payload = b64({ sub: 'alice', iat: NOW / 1000, exp: NOW / 1000 + 900 });
    expect(rejects(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`)).toMatch(/HS256/);
    const hs512 = b64({ alg: 'HS512', typ: 'JWT' });
    const signature = createHmac('sha512', SECRET)
      .update(`${hs512}.${payload}`)
      .digest('base64url');
    expect(rejects(`${hs512}.${payload}.${signature}`)).toMatch(/HS256/);
  });

  it('rejects malformed tokens and missing claims', () => {
    expect(rejects('not-a-jwt')).toMatch(/malformed/);
    const header = b64({ alg: 'HS256', typ: 'JWT' });
    const unsigned = b64({ iat: NOW / 1000, exp: NOW / 1000 + 900 });
    const signature = createHmac('sha256', SECRET)
      .update(`${header}.${unsigned}`)
      .digest('base64url');
    expect(rejects(`${header}.${unsigned}.${signature}`)).toMatch(/subject/);
  });

  it('rejects a token issued in the future beyond the skew', () => {
    const future = signUserToken({ userId: 'alice', secret: SECRET, now: () => NOW + 5 * 60_000 });
    expect(rejects(future)).toMatch(/future/);
  });
});

describe('createUserTokenVerifier', () => {
  it('still expires a token it has verified before, and never remembers a forged one', () => {
    let at = NOW;
    const verify = createUserTokenVerifier({ secret: SECRET, now: () => at, capacity: 2 });
    const token = signUserToken({ userId: 'alice', secret: SECRET, ttlSeconds: 60, now });
    expect(verify(token)).toEqual({ userId: 'alice' });
    expect(verify(token)).toEqual({ userId: 'alice' });
    const [header, , signature] = token.split('.');
    const forged = `${header}.${b64({ sub: 'bob', iat: NOW / 1000, exp: NOW / 1000 + 900 })}.${signature}`;
    expect(() => verify(forged)).toThrow(/signature/);
    expect(() => verify(forged)).toThrow(/signature/);
    at = NOW + 60_000;
    expect(() => verify(token)).toThrow(/expired/);
  });
});
