/**
 * `npx pnpm@10 start`: builds the app and serves it with `next start` on http://localhost:3000
 * (`PORT` to change it). Without `FLINKS_INSTANCE` or `FLINKS_API_URL`, it starts the Flinks
 * simulator and points the app at it; missing secrets are made up for this run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@flinkit/simulator';
import { buildNext, type NextServer, startNext } from './next-server';

const port = Number(process.env.PORT ?? 3000);
const env: Record<string, string> = {};
const usesRealFlinks = Boolean(process.env.FLINKS_INSTANCE || process.env.FLINKS_API_URL);
const simulator = usesRealFlinks ? null : await startSimulator({ port: 0 });
if (simulator) {
  Object.assign(env, {
    FLINKS_API_URL: simulator.apiUrl,
    FLINKS_CONNECT_URL: simulator.connectUrl,
    FLINKS_CUSTOMER_ID: simulator.customerId,
    FLINKS_SECRET_KEY: simulator.secretKey,
    FLINKS_API_KEY: simulator.apiKey,
    FLINKS_DEMO: 'true',
    FLINKIT_POLL_INTERVAL_MS: '1000',
  });
}
if (!process.env.SESSION_SECRET) env.SESSION_SECRET = randomBytes(32).toString('base64url');
// A key made up for this run can read only this run's data: use a database of this run too.
const runDir = process.env.FLINKIT_ENCRYPTION_KEYS
  ? null
  : mkdtempSync(join(tmpdir(), 'flinkit-nextjs-'));
if (runDir) {
  env.FLINKIT_ENCRYPTION_KEYS = `run:${randomBytes(32).toString('base64')}`;
  env.FLINKIT_DATABASE_URL = `sqlite:${join(runDir, 'flinkit.db')}`;
}

let server: NextServer | undefined;
const stop = async (code: number) => {
  await server?.close();
  await simulator?.close();
  if (runDir) rmSync(runDir, { recursive: true, force: true });
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  console.log('Building the app (next build)…');
  await buildNext();
  server = await startNext({ port, env });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}
console.log(
  [
    '',
    `  Open ${server?.url}/`,
    '',
    `Flinks: ${simulator ? `the simulator at ${simulator.url} (offline)` : (process.env.FLINKS_API_URL ?? `the ${process.env.FLINKS_INSTANCE} instance`)}`,
    'Sign in with any name, pick FlinksCapital in Connect and use greatday_nomfa / Everyday.',
    'Press Ctrl-C to stop.',
  ].join('\n'),
);
