import { type ChildProcess, spawn } from 'node:child_process';

/** A command that ran to completion. */
export interface Finished {
  stdout: string;
  stderr: string;
}

/** Runs `command` and resolves with its output; rejects with the output on a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else {
        const how = signal ? `signal ${signal}` : `exit ${code}`;
        reject(new Error(`${command} ${args.join(' ')} failed (${how}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** A long-running child (a server) whose output is kept for error messages. */
export interface Background {
  output(): string;
  exited(): boolean;
  /** SIGTERM to its process group, SIGKILL after 5 s; resolves once the group is gone. */
  stop(): Promise<void>;
}

/**
 * Starts `command` in the background, in a process group of its own: `npx flinkit serve` runs
 * the server as a child of npx, which does not pass SIGTERM on, so `stop()` signals the group.
 */
export function start(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Background {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  /** Sends `name` (0: none, only a check) to the group; false once the group is gone. */
  const signal = (name: NodeJS.Signals | 0) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
      return child.pid !== undefined;
    } catch {
      return false;
    }
  };
  const gone = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (signal(0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return !signal(0);
  };
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk;
  });
  return {
    output: () => text,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async stop() {
      // The whole group, the server included, is gone before the caller deletes its folder.
      signal('SIGTERM');
      if (await gone(5000)) return;
      signal('SIGKILL');
      await gone(5000);
    },
  };
}

/**
 * Resolves once `url` answers 200; rejects with the server's output when `server` exits first
 * or the deadline passes.
 */
export async function waitFor200(
  url: string,
  server: Background,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !server.exited()) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) })
      .then(async (response) => {
        await response.body?.cancel();
        return response.status === 200;
      })
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200:\n${server.output()}`);
}
