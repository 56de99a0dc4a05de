import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A `flinkit` process run from source. */
export interface CliChild {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
  /** The URL `flinkit serve` logged once listening; rejects if it exits first. */
  listening(): Promise<string>;
}

/** Spawns the CLI from source, as `flinkit <args>` would run; `track` keeps it for cleanup. */
export function spawnCli(
  args: string[],
  env: Record<string, string | undefined>,
  track?: ChildProcess[],
): CliChild {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@flinkit/source', 'src/cli.ts', ...args],
    {
      cwd: PACKAGE_ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  track?.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const output = () => ({ stdout, stderr });
  return {
    child,
    exited,
    output,
    listening: () =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(stdout);
          if (match?.[1]) resolve(match[1]);
        };
        check();
        child.stdout?.on('data', check);
        void exited.then((code) => reject(new Error(`exited ${code}: ${output().stderr}`)));
      }),
  };
}
