import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signFlinksWebhook } from '../flinks/webhook-signature';
import { signUserToken } from '../http/auth';
import { type RunningServer, startServer } from '../http/server';
import { createFakeEngine } from './fake-engine';

// Signatures and tokens decode strictly, over a real socket.

const SECRET = 'strict-decoding-user-token-secret-0123456789';
const WEBHOOK_SECRET = 'strict-decoding-webhook-secret';
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    engine: createFakeEngine(),
    userTokenSecret: SECRET,
    webhookSecret: WEBHOOK_SECRET,
    port: 0,
    logger: { level: 'silent' },
  });
});
afterAll(async () => {
  await server.close();
});

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hs256 = (input: string) => createHmac('sha256', SECRET).update(input).digest('base64url');
/** A token signed with the right secret, from the given (already encoded) parts. */
const signed = (header: string, payload: string) =>
  `${header}.${payload}.${hs256(`${header}.${payload}`)}`;

const statusWith = async (token: string) =>
  (await fetch(`${server.url}/v1/connections`, { headers: { authorization: `Bearer ${token}` } }))
    .status;

describe('Flinks webhook signature', () => {
  const body = JSON.stringify({
    ResponseType: 'GetAccountsDetail',
    RequestId: 'r-1',
    Accounts: [],
  });
  const exact = signFlinksWebhook(body, WEBHOOK_SECRET);
  const post = async (signature: string) =>
    (
      await fetch(`${server.url}/v1/webhooks/flinks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'flinks-authenticity-key': signature },
        body,
      })
    ).status;

  it('accepts only the exact Base64 string: not with trailing junk, the URL-safe alphabet or without padding', async () => {
    expect(exact).toMatch(/=$/); // 32 bytes: Base64 always ends with one `=`
    const urlSafe = Buffer.from(exact, 'base64').toString('base64url');
    expect(await post(exact)).toBe(200);
    expect(await post(`${exact}AA`)).toBe(401);
    expect(await post(`${exact}*`)).toBe(401);
    expect(await post(exact.replace(/=$/, ''))).toBe(401);
    expect(urlSafe).not.toBe(exact.replace(/=$/, ''));
    expect(await post(urlSafe)).toBe(401);
  });
});

describe('user tokens', () => {
  const header = b64url({ alg: 'HS256', typ: 'JWT' });
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'alice', iat: now, exp: now + 600 };

  it('accepts a well-formed token', async () => {
    expect(await statusWith(signUserToken({ userId: 'alice', secret: SECRET }))).toBe(200);
    expect(await statusWith(signed(header, b64url(claims)))).toBe(200);
  });

  it('rejects a correctly signed token whose header has a `crit` parameter (RFC 7515 §4.1.11)', async () => {
    const critical = b64url({ alg: 'HS256', typ: 'JWT', crit: ['exp'] });
    expect(await statusWith(signed(critical, b64url(claims)))).toBe(401);
  });

  it('rejects correctly signed segments that are not canonical base64url', async () => {
    // The standard alphabet with padding decodes to the same JSON under a lenient decoder.
    const padded = Buffer.from(JSON.stringify({ ...claims, sub: 'alice?>' })).toString('base64');
    expect(padded).toMatch(/[+/=]/);
    expect(await statusWith(signed(header, padded))).toBe(401);
  });

  it('rejects a signature spelled differently from the one computed (stray bits, padding, junk)', async () => {
    const token = signUserToken({ userId: 'alice', secret: SECRET });
    const signature = token.split('.')[2] as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 32 bytes use 256 of the last character's 258 bits: flipping bit 0 decodes to the same bytes.
    const last = alphabet.indexOf(signature.at(-1) as string);
    const strayBits = `${signature.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(strayBits, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    const head = token.split('.').slice(0, 2).join('.');
    for (const variant of [strayBits, `${signature}=`, `${signature}!`, `${signature}A`]) {
      expect(await statusWith(`${head}.${variant}`), variant).toBe(401);
    }
  });
});
