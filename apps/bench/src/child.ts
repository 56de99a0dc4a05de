import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileChild } from './built-child';

const here = dirname(fileURLToPath(import.meta.url));

/** A TypeScript child process of the bench, talking JSON messages over IPC. */
export interface BenchChild {
  process: ChildProcess;
  /** Resolves with the next message for which `accept` is true; rejects if the child exits first. */
  next<T>(accept: (message: T) => boolean): Promise<T>;
  send(message: unknown): void;
  /** Resolves with the exit code (or signal) once the child has exited. */
  exited: Promise<number | string>;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** Waits up to `graceMs` for the child to exit by itself, then SIGKILLs it. */
  end(graceMs: number): Promise<void>;
}

/**
 * Starts `src/<file>` in `node --import tsx --conditions=@flinkit/source`, with IPC. Its stdout
 * goes to /dev/null (the proxy logs there as in production); stderr is inherited.
 */
export function startChild(file: string, env: Record<string, string> = {}): BenchChild {
  return spawnChild(
    file,
    ['--import', 'tsx', '--conditions=@flinkit/source', join(here, file)],
    env,
  );
}

/**
 * Starts `src/<file>` compiled to JavaScript, on the packages' builds and without tsx
 * ({@link compileChild}): for the processes whose memory and start-up are measured.
 */
export async function startBuiltChild(
  file: string,
  env: Record<string, string> = {},
): Promise<BenchChild> {
  return spawnChild(file, [await compileChild(file)], env);
}

function spawnChild(file: string, args: string[], env: Record<string, string>): BenchChild {
  const child = spawn(
    process.execPath,
    // BENCH_CHILD_NODE_ARGS: extra node flags for children only, e.g. `--cpu-prof`.
    [...(process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...args],
    {
      cwd: join(here, '..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    process: child,
    exited,
    next<T>(accept: (message: T) => boolean) {
      return new Promise<T>((resolve, reject) => {
        const onMessage = (message: T) => {
          if (!accept(message)) return;
          cleanup();
          resolve(message);
        };
        const onExit = (code: number | null, signal: string | null) => {
          cleanup();
          reject(new Error(`${file} exited (${code ?? signal}) before the expected message`));
        };
        const cleanup = () => {
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
      });
    },
    send(message) {
      child.send(message as object);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async end(graceMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        exited,
        new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
      await this.kill();
    },
  };
}

/** In a child: sends a message to the parent (no-op when not started with IPC). */
export function tellParent(message: unknown): void {
  process.send?.(message);
}

/** In a child: resolves with the first message from the parent. */
export function fromParent<T>(): Promise<T> {
  return new Promise<T>((resolve) => process.once('message', (message) => resolve(message as T)));
}

/**
 * In a child: answers `{ type: 'cpu' }` from the parent with this process's `process.cpuUsage()`,
 * so the parent can divide the CPU a load cost by the requests it made.
 */
export function answerCpuQueries(): void {
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'cpu') tellParent({ type: 'cpu', usage: process.cpuUsage() });
  });
}
