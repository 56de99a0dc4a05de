/**
 * `npx pnpm@10 start`: the app on http://localhost:3000 (`PORT` to change it). Without
 * `FLINKS_INSTANCE` or `FLINKS_API_URL`, it starts the Flinks simulator and points the app at
 * it; missing secrets are made up for this run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@flinkit/simulator';
import { createApp } from './app';
import { flinkitConfigFromEnv } from './config';

const env: Record<string, string | undefined> = { ...process.env };
const usesRealFlinks = Boolean(env.FLINKS_INSTANCE || env.FLINKS_API_URL);
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
// A key made up for this run can read only this run's data: use a database of this run too.
const runDir = env.FLINKIT_ENCRYPTION_KEYS ? null : mkdtempSync(join(tmpdir(), 'flinkit-express-'));
if (runDir) {
  env.FLINKIT_ENCRYPTION_KEYS = `run:${randomBytes(32).toString('base64')}`;
  env.FLINKIT_DATABASE_URL = `sqlite:${join(runDir, 'flinkit.db')}`;
}
const removeRunDir = () => {
  if (runDir) rmSync(runDir, { recursive: true, force: true });
};

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
function logLevel(value: string | undefined): (typeof LEVELS)[number] {
  return LEVELS.find((level) => level === value) ?? 'warn';
}

let created: ReturnType<typeof createApp>;
try {
  created = createApp({
    // The proxy logs each request at `info`: FLINKIT_LOG_LEVEL=info to see them.
    flinkit: { ...flinkitConfigFromEnv(env), logger: { level: logLevel(env.FLINKIT_LOG_LEVEL) } },
    sessionSecret: env.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
  });
  await created.flinkit.ready;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await simulator?.close();
  removeRunDir();
  process.exit(1);
}
const { app, flinkit } = created;
const port = Number(env.PORT ?? 3000);
const server = app.listen(port, '127.0.0.1', () => {
  const flinks = simulator
    ? `the simulator at ${simulator.url} (offline)`
    : (env.FLINKS_API_URL ?? `the ${env.FLINKS_INSTANCE} instance`);
  console.log(
    [
      '',
      `  Open http://localhost:${port}/`,
      '',
      `Flinks: ${flinks}`,
      'Sign in with any name, pick FlinksCapital in Connect and use greatday_nomfa / Everyday.',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  void Promise.all([flinkit.close(), simulator?.close()]).then(() => {
    removeRunDir();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
