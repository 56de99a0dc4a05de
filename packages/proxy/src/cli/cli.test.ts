import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyUserToken } from '../http/auth';
import { REQUIRED_VARIABLES, validEnv } from '../test/env';
import { runCli } from './run';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];
const directories: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

/** Spawns the CLI from source, as `flinkit <args>` would run. */
function spawnCli(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@flinkit/source', 'src/cli.ts', ...args],
    {
      cwd: PACKAGE_ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      env: {},
      stdout: (line: string) => out.push(line),
      stderr: (line: string) => err.push(line),
    },
  };
}

describe('flinkit serve: configuration errors', () => {
  it('stops with exit code 1 and one line naming each missing variable', async () => {
    const runs = REQUIRED_VARIABLES.map((name) => ({
      name,
      run: spawnCli(['serve'], validEnv({ [name]: undefined })),
    }));
    for (const { name, run } of runs) {
      expect(await run.exited, name).toBe(1);
      const { stdout, stderr } = run.output();
      const lines = stderr.trimEnd().split('\n');
      expect(lines, name).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^flinkit: ${name}: missing; expected `));
      expect(stdout).toBe('');
    }
  }, 30_000);

  it('never echoes a malformed secret value', async () => {
    const run = spawnCli(['serve'], validEnv({ FLINKIT_USER_TOKEN_SECRET: 'short-secret-xyz' }));
    expect(await run.exited).toBe(1);
    const { stderr } = run.output();
    expect(stderr.trim()).toBe(
      'flinkit: FLINKIT_USER_TOKEN_SECRET: malformed; expected a random secret of at least 32 characters.',
    );
  }, 30_000);
});

describe('flinkit serve: lifecycle', () => {
  it.each([
    ['warns at start that redirectUrl is missing', {}, true],
    [
      'does not warn with FLINKIT_CONNECT_REDIRECT_URL',
      { FLINKIT_CONNECT_REDIRECT_URL: 'https://app.example.com/flinks/done' },
      false,
    ],
  ])(
    'serves, %s, then shuts down cleanly on SIGTERM with exit code 0',
    async (_label, extra, warns) => {
      const directory = mkdtempSync(join(tmpdir(), 'flinkit-cli-'));
      directories.push(directory);
      const run = spawnCli(
        ['serve'],
        validEnv({
          PORT: '0',
          FLINKIT_DATABASE_URL: `sqlite:${join(directory, 'db.sqlite')}`,
          ...extra,
        }),
      );
      const url = await new Promise<string>((resolve, reject) => {
        const check = () => {
          const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(run.output().stdout);
          if (match?.[1]) resolve(match[1]);
        };
        run.child.stdout?.on('data', check);
        void run.exited.then((code) => reject(new Error(`exited ${code}: ${run.output().stderr}`)));
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output().stdout).not.toContain('secret-key-value');
      const warning = run
        .output()
        .stdout.split('\n')
        .find((line) => line.includes('"config_warning"'));
      if (warns) expect(warning).toContain('FLINKIT_CONNECT_REDIRECT_URL');
      else expect(warning).toBeUndefined();
    },
    30_000,
  );
});

describe('flinkit token / keygen', () => {
  it('prints a user token the proxy accepts', async () => {
    const { out, io } = capture();
    const secret = 'user-token-secret-value-0123456789abcdef';
    expect(
      await runCli(['token', '--user', 'alice', '--ttl', '60'], {
        ...io,
        env: { FLINKIT_USER_TOKEN_SECRET: secret },
      }),
    ).toBe(0);
    expect(verifyUserToken(out[0] as string, secret)).toEqual({ userId: 'alice' });
  });

  it('refuses to sign without a secret or a user', async () => {
    const { err, io } = capture();
    expect(await runCli(['token', '--user', 'alice'], io)).toBe(1);
    expect(err[0]).toMatch(/^flinkit: FLINKIT_USER_TOKEN_SECRET: /);
    expect(
      await runCli(['token'], { ...io, env: { FLINKIT_USER_TOKEN_SECRET: 'x'.repeat(32) } }),
    ).toBe(1);
  });

  it('prints a fresh keyId:base64key of 32 bytes, or a whsec_ secret', async () => {
    const { out, io } = capture();
    await runCli(['keygen'], io);
    await runCli(['keygen'], io);
    await runCli(['keygen', '--webhook'], io);
    const [first, second, webhook] = out as [string, string, string];
    expect(first).toMatch(/^k[0-9a-f]{8}:[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(first.split(':')[1] as string, 'base64')).toHaveLength(32);
    expect(second).not.toBe(first);
    expect(webhook).toMatch(/^whsec_/);
  });

  it('explains an unknown command', async () => {
    const { err, io } = capture();
    expect(await runCli(['frobnicate'], io)).toBe(1);
    expect(err[0]).toContain('unknown command');
  });
});
