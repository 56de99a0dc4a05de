import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import { freePort } from '@flinkit/test-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run';

// `flinkit doctor` against the simulator: each check passing, and failing with a line that says
// what to fix, never a secret.
let sim: Simulator;
let directory: string;
const WEBHOOK_SECRET = 'doctor-webhook-secret-value';
const USER_TOKEN_SECRET = 'doctor-user-token-secret-0123456789abcdef';
const KEY = randomBytes(32).toString('base64');

beforeAll(async () => {
  sim = await startSimulator({ processingMs: 0 });
  directory = mkdtempSync(join(tmpdir(), 'flinkit-doctor-test-'));
});

afterAll(async () => {
  await sim?.close();
  rmSync(directory, { recursive: true, force: true });
});

function env(overrides: Record<string, string | undefined> = {}) {
  return {
    FLINKS_API_URL: sim.apiUrl,
    FLINKS_CONNECT_URL: sim.connectUrl,
    FLINKS_CUSTOMER_ID: sim.customerId,
    FLINKS_SECRET_KEY: sim.secretKey,
    FLINKS_API_KEY: sim.apiKey,
    FLINKS_WEBHOOK_SECRET: WEBHOOK_SECRET,
    FLINKIT_ENCRYPTION_KEYS: `k1:${KEY}`,
    FLINKIT_USER_TOKEN_SECRET: USER_TOKEN_SECRET,
    FLINKIT_DATABASE_URL: `sqlite:${join(directory, `${randomBytes(4).toString('hex')}.db`)}`,
    FLINKIT_CONNECT_REDIRECT_URL: 'https://app.example.com/flinks/done',
    FLINKIT_POLL_INTERVAL_MS: '20',
    ...overrides,
  };
}

async function doctor(variables: Record<string, string | undefined>, args: string[] = []) {
  const lines: string[] = [];
  const io = {
    env: variables,
    stdout: (line: string) => lines.push(line),
    stderr: (line: string) => lines.push(line),
  };
  const code = await runCli(['doctor', ...args], io);
  const output = lines.join('\n');
  for (const secret of [
    sim.secretKey,
    sim.apiKey,
    WEBHOOK_SECRET,
    USER_TOKEN_SECRET,
    KEY,
    'wrong-secret-key-value',
    'pw-never-printed',
  ]) {
    expect(output).not.toContain(secret);
  }
  const line = (name: string) =>
    lines.find((candidate) => candidate.slice(2).startsWith(name)) ?? '';
  return { code, lines, output, line };
}

describe('flinkit doctor', () => {
  it('passes every check against a good configuration', async () => {
    const { code, lines, line } = await doctor(env());
    expect(code).toBe(0);
    for (const name of [
      'configuration',
      'instance',
      'secret key',
      'API key',
      'webhook secret',
      'encryption keys',
      'database',
      'redirectUrl',
    ]) {
      expect(line(name)).toMatch(/^✓ /);
    }
    expect(lines.at(-1)).toBe('flinkit doctor: 8 passed, 0 warning(s), 0 failed.');
  });

  it('fails on a wrong secret key, saying what to check', async () => {
    const { code, line } = await doctor(env({ FLINKS_SECRET_KEY: 'wrong-secret-key-value' }));
    expect(code).toBe(1);
    expect(line('secret key')).toMatch(
      /^✗ secret key +Flinks refused FLINKS_SECRET_KEY \(GenerateAuthorizeToken answered 401\): check the secret key and FLINKS_CUSTOMER_ID/,
    );
  });

  it('fails on a wrong API key', async () => {
    const { code, line } = await doctor(env({ FLINKS_API_KEY: 'wrong-api-key' }));
    expect(code).toBe(1);
    expect(line('secret key')).toMatch(/^✓ /);
    expect(line('API key')).toMatch(/^✗ API key +Flinks refused FLINKS_API_KEY \(401\)/);
  });

  it('fails on an instance that does not resolve, and on one that does not answer', async () => {
    const unknown = await doctor(env({ FLINKS_API_URL: 'http://no-such-instance.invalid' }));
    expect(unknown.code).toBe(1);
    expect(unknown.line('instance')).toMatch(
      /^✗ instance +no-such-instance\.invalid does not resolve \(\w+\): check FLINKS_API_URL/,
    );
    const closed = await doctor(env({ FLINKS_API_URL: `http://127.0.0.1:${await freePort()}` }));
    expect(closed.code).toBe(1);
    expect(closed.line('secret key')).toMatch(
      /^✗ secret key +could not reach Flinks at 127\.0\.0\.1: .*ECONNREFUSED.*Check FLINKS_API_URL/,
    );
  });

  it('warns without a webhook secret or a redirectUrl, and still exits 0', async () => {
    const { code, line } = await doctor(
      env({ FLINKS_WEBHOOK_SECRET: undefined, FLINKIT_CONNECT_REDIRECT_URL: undefined }),
    );
    expect(code).toBe(0);
    expect(line('webhook secret')).toMatch(/^! webhook secret +FLINKS_WEBHOOK_SECRET is not set/);
    expect(line('redirectUrl')).toMatch(
      /^! redirectUrl +not set: set FLINKIT_CONNECT_REDIRECT_URL/,
    );
  });

  it('fails on malformed encryption keys and an unreachable database', async () => {
    const keys = await doctor(env({ FLINKIT_ENCRYPTION_KEYS: 'k1:dG9vLXNob3J0' }));
    expect(keys.code).toBe(1);
    expect(keys.line('encryption keys')).toMatch(
      /^✗ encryption keys +FLINKIT_ENCRYPTION_KEYS: malformed/,
    );
    expect(keys.line('configuration')).toMatch(/^✗ /);
    const database = await doctor(
      env({
        FLINKIT_DATABASE_URL: `postgres://flinkit:pw-never-printed@127.0.0.1:${await freePort()}/flinkit`,
      }),
    );
    expect(database.code).toBe(1);
    expect(database.line('database')).toMatch(/^✗ database +/);
    expect(database.line('database')).not.toContain('127.0.0.1');
  }, 30_000);

  it('--toolbox runs a whole retrieval of greatday_nomfa and prints each upstream call', async () => {
    const { code, lines, line } = await doctor(env(), ['--toolbox']);
    expect(code).toBe(0);
    const calls = lines
      .filter((candidate) => candidate.startsWith('  ↳ '))
      .map((candidate) => candidate.slice(4).split(/ +/)[0]);
    expect(calls).toEqual([
      'GenerateAuthorizeToken',
      'Authorize',
      'GenerateAuthorizeToken',
      'Authorize',
      'GetAccountsDetail',
    ]);
    expect(lines.find((candidate) => candidate.includes('Authorize (sign in)'))).toMatch(
      /200 +data +\d+ ms$/,
    );
    expect(line('toolbox')).toMatch(
      /^✓ toolbox +greatday_nomfa retrieved through the engine in [\d.]+ s: 3 account\(s\), 1 data call\(s\)$/,
    );
    expect(lines.at(-1)).toBe('flinkit doctor: 9 passed, 0 warning(s), 0 failed.');
    const loginId = sim.createLogin('greatday_nomfa');
    expect(lines.join('\n')).not.toContain(loginId);
  }, 30_000);
});
