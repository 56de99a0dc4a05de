import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** This example's folder: where `next build` and `next start` run. */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

/** A running `next start`. */
export interface NextServer {
  url: string;
  /** Everything the server printed so far (its log). */
  output(): string;
  /** SIGTERM, SIGKILL after 5 s; resolves once it exited. */
  close(): Promise<void>;
}

function run(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [NEXT_BIN, ...args], {
    cwd: APP_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function collect(child: ChildProcess): () => string {
  let text = '';
  const add = (chunk: Buffer) => {
    text += chunk.toString();
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => text;
}

/** `next build` in this folder; rejects with its output when it fails. */
export async function buildNext(options: { distDir?: string } = {}): Promise<void> {
  const child = run(['build'], options.distDir ? { NEXT_DIST_DIR: options.distDir } : {});
  const output = collect(child);
  const code = await exited(child);
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output()}`);
}

/**
 * `next start` on `port` with `env`, resolved once the proxy route answers `GET /readyz` 200
 * (the first request creates the proxy, so a bad setting shows up here, not at the first user).
 */
export async function startNext(options: {
  port: number;
  env: Record<string, string>;
  /** The folder `buildNext` built into; default `.next`. */
  distDir?: string;
  readyTimeoutMs?: number;
}): Promise<NextServer> {
  const url = `http://localhost:${options.port}`;
  const child = run(['start', '--port', String(options.port), '--hostname', '127.0.0.1'], {
    NODE_ENV: 'production',
    ...(options.distDir ? { NEXT_DIST_DIR: options.distDir } : {}),
    ...options.env,
  });
  const output = collect(child);
  const server: NextServer = {
    url,
    output,
    async close() {
      const done = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${url}/api/flinkit/readyz`, { signal: AbortSignal.timeout(2000) })
      .then((response) => response.status === 200)
      .catch(() => false);
    if (ready) return server;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await server.close();
  throw new Error(`next start was not ready at ${url}/api/flinkit/readyz:\n${output()}`);
}
