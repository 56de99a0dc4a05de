import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS_FILE } from './secrets';

const START = fileURLToPath(new URL('./start.ts', import.meta.url));

function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    // A developer's FLINKS_* would point the playground at a real Flinks.
    if (value !== undefined && !name.startsWith('FLINKS_')) env[name] = value;
  }
  return { ...env, ...extra };
}

describe('pnpm start (src/start.ts)', () => {
  let workDir: string;
  let pagesDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'flinkit-start-'));
    pagesDir = join(workDir, 'pages');
    await mkdir(pagesDir);
    await writeFile(join(pagesDir, 'index.html'), '<p>the index page</p>');
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  /** Runs `src/start.ts` as `pnpm start` does, on free ports and a fresh data folder. */
  function startProcess(name: string, extra: Record<string, string> = {}) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@flinkit/source', START],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: cleanEnv({
          FLINKIT_PLAYGROUND_DIR: join(workDir, name),
          FLINKIT_PLAYGROUND_PORTS: '0',
          FLINKIT_PLAYGROUND_PAGES: pagesDir,
          ...extra,
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    return { child, exited, output: () => output, dataDir: join(workDir, name) };
  }

  it('prints one URL and the credentials, serves it, and stops everything on SIGINT with exit 0', async () => {
    const { child, exited, output, dataDir } = startProcess('state');
    await expect.poll(output, { timeout: 45_000, interval: 100 }).toContain('Press Ctrl-C');
    const urls = output().match(/https?:\/\/\S+/g) ?? [];
    expect(urls).toHaveLength(1);
    const url = urls[0] ?? '';
    for (const expected of [
      'FlinksCapital',
      'greatday_nomfa',
      'Greatday',
      'Montreal',
      'Canada',
      'Triangle',
      'test_disabled_account',
      'Everyday',
      'Flinks: the Flinks simulator, offline',
    ]) {
      expect(output()).toContain(expected);
    }
    expect(await (await fetch(url)).text()).toBe('<p>the index page</p>');
    const { proxyUrl } = (await (await fetch(new URL('/api/config', url))).json()) as {
      proxyUrl: string;
    };
    expect((await fetch(`${proxyUrl}/healthz`)).status).toBe(200);
    expect((await stat(join(dataDir, SECRETS_FILE))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'flinkit.db'))).isFile()).toBe(true);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${proxyUrl}/healthz`)).rejects.toThrow();
    await expect(fetch(url)).rejects.toThrow();
  });

  it('switches to the real Flinks Toolbox with FLINKS_INSTANCE=toolbox alone, and says so', async () => {
    const { child, exited, output } = startProcess('toolbox', { FLINKS_INSTANCE: 'toolbox' });
    await expect.poll(output, { timeout: 45_000, interval: 100 }).toContain('Press Ctrl-C');
    expect(output()).toContain(
      'Flinks: the real Flinks "toolbox" instance: API toolbox-api.private.fin.ag, Connect toolbox-iframe.private.fin.ag.',
    );
    // The pages may frame the Toolbox's Connect only: the proxy hands out Toolbox iframe URLs.
    const url = output().match(/https?:\/\/\S+/)?.[0] ?? '';
    const policy = (await fetch(url)).headers.get('content-security-policy') ?? '';
    expect(policy).toContain('frame-src https://toolbox-iframe.private.fin.ag;');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('stops with exit 1 when a FLINKS_* variable is set without FLINKS_INSTANCE', async () => {
    const { exited, output } = startProcess('stray', { FLINKS_SECRET_KEY: 'stray-secret-value' });
    expect(await exited).toBe(1);
    expect(output()).toContain('FLINKS_SECRET_KEY is set, but without FLINKS_INSTANCE');
    expect(output()).not.toContain('stray-secret-value');
  });
});
