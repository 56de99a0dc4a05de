import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PlaygroundError } from './errors';
import { HOST } from './ports';

/** Options of {@link startProxyProcess}. */
export interface ProxyProcessOptions {
  /** Port the proxy binds (already checked free). */
  port: number;
  /** The proxy's environment (`FLINKS_*`, `FLINKIT_*`); `PORT` and `HOST` are added. */
  env: Record<string, string>;
  /** Where the child's stdout and stderr (pino JSON lines) go. */
  logFile: string;
  /** How long to wait for `/readyz`; default 30 000 ms. */
  readyTimeoutMs?: number;
  /** Called if the proxy exits after it was ready without `close()` being called. */
  onUnexpectedExit?: (code: number | null) => void;
}

/** A running `flinkit serve` child. */
export interface ProxyProcess {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  pid: number | undefined;
  /** SIGTERM (the proxy shuts down gracefully), SIGKILL after 5 s; resolves once it exited. */
  close(): Promise<void>;
}

/**
 * The command that runs the real `flinkit` CLI: the TypeScript source through tsx when the
 * monorepo has it (no build needed), else the package's bin.
 */
export function proxyCommand(): { args: string[]; cwd: string } {
  const require = createRequire(import.meta.url);
  const proxyDir = dirname(require.resolve('@flinkit/proxy/package.json'));
  const source = join(proxyDir, 'src', 'cli.ts');
  if (existsSync(source)) {
    return {
      args: ['--import', 'tsx', '--conditions=@flinkit/source', source, 'serve'],
      cwd: proxyDir,
    };
  }
  return { args: [join(proxyDir, 'bin', 'flinkit.js'), 'serve'], cwd: proxyDir };
}

async function tail(file: string, lines = 15): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Spawns `flinkit serve` with `options.env` and resolves once `GET /readyz` answers 200.
 *
 * @throws PlaygroundError `proxy_failed` (with the last log lines) when the child exits first
 * or is not ready in time.
 */
export async function startProxyProcess(options: ProxyProcessOptions): Promise<ProxyProcess> {
  const url = `http://${HOST}:${options.port}`;
  const { args, cwd } = proxyCommand();
  const log = createWriteStream(options.logFile, { flags: 'a', mode: 0o600 });
  // Only what the proxy needs: no inherited secrets from the developer's shell beyond PATH-like basics.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    ...options.env,
    PORT: String(options.port),
    HOST,
  };
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = waitForExit(child);
  let stopped = false;
  // If this process dies without close(), do not leave an orphan proxy holding the port.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const close = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      process.off('exit', killOnExit);
    }
    await new Promise<void>((resolve) => log.end(() => resolve()));
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!gone && Date.now() < deadline) {
    if (await isReady(url)) {
      void exited.then(() => {
        if (!stopped) options.onUnexpectedExit?.(child.exitCode);
      });
      return { url, pid: child.pid, close };
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const reason = gone ? `exited with code ${child.exitCode}` : 'was not ready in time';
  await close();
  throw new PlaygroundError(
    'proxy_failed',
    `The flinkit proxy ${reason}. Last lines of ${options.logFile}:\n${await tail(options.logFile)}`,
    { recoverable: true },
  );
}
