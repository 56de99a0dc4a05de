import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@flinkit/test-postgres';
import { ensureBuilt } from './built-child';
import { createEngineStorage } from './proxy-fixture';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Start-up and idle memory of one kind of process. */
export interface StartFigure {
  /** Spawn → first 200 on the probe path, median of the runs. */
  readyMs: number;
  /** RSS after a second of idling, median of the runs. */
  idleRssBytes: number;
}

/** `flinkit serve` from the build against a bare `node:http` server started the same way. */
export interface ServeFigure {
  serve: StartFigure;
  bare: StartFigure;
  runs: number;
}

// The smallest server that answers the probe: what any Node HTTP service pays to start.
const BARE_SERVER = `require('node:http').createServer((q, r) => r.end('ok')).listen(+process.env.PORT, '127.0.0.1')`;

/**
 * `node bin/flinkit.js serve` (the built CLI, a fresh SQLite file each run, so migrations are
 * included) from spawn to its first `/readyz` 200, and its RSS once idle; the baseline is a
 * bare `node:http` server spawned and probed the same way. Medians of `runs` runs each.
 */
export async function measureServe(runs = 3): Promise<ServeFigure> {
  ensureBuilt('packages/proxy', 'dist/cli/cli.js');
  const serves: StartFigure[] = [];
  const bares: StartFigure[] = [];
  for (let run = 0; run < runs; run++) {
    const storage = createEngineStorage();
    try {
      const env = {
        FLINKS_API_URL: 'http://127.0.0.1:9',
        FLINKS_CONNECT_URL: 'http://127.0.0.1:9/v2/',
        FLINKS_CUSTOMER_ID: '43387ca6-0391-4c82-857d-70d95f087ecb',
        FLINKS_SECRET_KEY: 'bench-secret-key',
        FLINKS_API_KEY: 'bench-api-key',
        FLINKIT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        FLINKIT_USER_TOKEN_SECRET: 'flinkit-bench-user-token-secret-0123456789',
        FLINKIT_DATABASE_URL: storage.databaseUrl,
      };
      serves.push(
        await measureStart([join(root, 'packages/proxy/bin/flinkit.js'), 'serve'], '/readyz', env),
      );
      bares.push(await measureStart(['-e', BARE_SERVER], '/', {}));
    } finally {
      storage.remove();
    }
  }
  return { serve: median(serves), bare: median(bares), runs };
}

async function measureStart(
  args: string[],
  path: string,
  env: Record<string, string>,
): Promise<StartFigure> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const deadline = started + 30_000;
    while ((await probe(port, path)) !== 200) {
      if (performance.now() > deadline || child.exitCode !== null) {
        throw new Error(`${args.join(' ')} did not answer ${path} 200 within 30 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const readyMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return { readyMs, idleRssBytes: rssOf(child) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) =>
      child.exitCode === null ? child.once('exit', resolve) : resolve(null),
    );
  }
}

function probe(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const call = request({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    call.on('error', () => resolve(0));
    call.end();
  });
}

/** VmRSS of a child (Linux `/proc`). */
function rssOf(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kilobytes * 1024;
}

function median(figures: StartFigure[]): StartFigure {
  const middle = (values: number[]) =>
    values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return {
    readyMs: middle(figures.map((figure) => figure.readyMs)),
    idleRssBytes: middle(figures.map((figure) => figure.idleRssBytes)),
  };
}
