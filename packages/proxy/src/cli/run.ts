import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { isTerminalStatus } from '@flinkit/core/wire';
import { ConfigError } from '../base/errors';
import type { RetrievalEngine } from '../engine/types';
import { DEFAULT_USER_TOKEN_TTL_SECONDS, signUserToken } from '../http/auth';
import { loadEnvConfig } from './env-config';

/** What `flinkit serve` (and `flinkit doctor`) say when no redirectUrl is configured. */
export const MISSING_REDIRECT =
  'No redirectUrl for Flinks Connect: Connect is sent this proxy’s own /v1/connect/done page, at the address each session request came to. Set FLINKIT_CONNECT_REDIRECT_URL to a page of your site (e.g. https://app.example.com/flinks/done): Flinks’ OAuth guide calls it required, and banks that sign in on their own site bring the customer back there.';

/** Where the CLI reads and writes; `process` by default. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Calls `handler` on SIGTERM/SIGINT; returns the unregister. */
  onShutdownSignal?: (handler: () => void) => () => void;
}

const USAGE = `Usage: flinkit <command>
  serve                                  run the proxy (configuration from the environment)
  token --user <id> [--ttl <seconds>]    print a user token (needs FLINKIT_USER_TOKEN_SECRET)
  keygen [--webhook]                     print a new encryption key (or a forward webhook secret)
  migrate                                create or update the database schema
  retrieve --connection <id> --user <id> re-run a retrieval and print its status until terminal
  doctor [--toolbox]                     check every setting against Flinks; --toolbox also runs a
                                         whole retrieval of the Toolbox user greatday_nomfa`;

/**
 * Runs the `flinkit` CLI with `argv` (without `node` and the script) and resolves with the
 * exit code. Configuration errors print one line naming the variable and give 1.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(io);
      case 'token':
        return token(rest, io);
      case 'keygen':
        return keygen(rest, io);
      case 'migrate':
        return await migrate(io);
      case 'retrieve':
        return await retrieve(rest, io);
      case 'doctor': {
        const { runDoctor } = await import('./doctor');
        return await runDoctor(rest, io);
      }
      case undefined:
      case 'help':
      case '--help':
        io.stdout(USAGE);
        return command === undefined ? 1 : 0;
      default:
        io.stderr(`flinkit: unknown command \`${command}\`.\n${USAGE}`);
        return 1;
    }
  } catch (error) {
    if (ConfigError.isInstance(error)) {
      io.stderr(`flinkit: ${error.message}`);
      return 1;
    }
    io.stderr(`flinkit: ${error instanceof Error ? error.message.split('\n')[0] : 'failed'}`);
    return 1;
  }
}

async function serve(io: CliIo): Promise<number> {
  const config = loadEnvConfig(io.env);
  // Loaded only after the configuration is valid: a config error exits without loading Hono.
  const { startServer } = await import('../http/server');
  const { configuredRedirectUrl } = await import('../http/connect-session');
  const server = await startServer(config);
  server.flinkit.logger.info(
    { event: 'listening', url: server.url },
    `flinkit listening on ${server.url}`,
  );
  if (!configuredRedirectUrl(config.connect ?? {})) {
    server.flinkit.logger.warn(
      { event: 'config_warning', setting: 'FLINKIT_CONNECT_REDIRECT_URL' },
      MISSING_REDIRECT,
    );
  }
  const register = io.onShutdownSignal ?? processSignals;
  await new Promise<void>((resolve) => {
    const unregister = register(() => {
      unregister();
      server.flinkit.logger.info({ event: 'shutdown' }, 'shutting down');
      void server.close().then(resolve);
    });
  });
  return 0;
}

function token(args: string[], io: CliIo): number {
  const { values } = parseArgs({
    args,
    options: { user: { type: 'string' }, ttl: { type: 'string' } },
  });
  const secret = io.env.FLINKIT_USER_TOKEN_SECRET;
  if (!secret || secret.length < 32) {
    throw new ConfigError(
      'FLINKIT_USER_TOKEN_SECRET',
      'FLINKIT_USER_TOKEN_SECRET: missing or shorter than 32 characters.',
    );
  }
  if (!values.user) {
    io.stderr('flinkit token: pass --user <id>.');
    return 1;
  }
  const ttl = values.ttl === undefined ? DEFAULT_USER_TOKEN_TTL_SECONDS : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) {
    io.stderr('flinkit token: --ttl must be a positive number of seconds.');
    return 1;
  }
  io.stdout(signUserToken({ userId: values.user, secret, ttlSeconds: ttl }));
  return 0;
}

function keygen(args: string[], io: CliIo): number {
  const { values } = parseArgs({ args, options: { webhook: { type: 'boolean' } } });
  if (values.webhook) io.stdout(`whsec_${randomBytes(32).toString('base64')}`);
  else io.stdout(`k${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`);
  return 0;
}

async function openEngine(io: CliIo): Promise<RetrievalEngine> {
  const config = loadEnvConfig(io.env);
  const { createEngine } = await import('../engine/engine');
  const { createLogger } = await import('../base/logger');
  return createEngine({
    ...(config.engineOptions as NonNullable<typeof config.engineOptions>),
    flinks: config.flinks as NonNullable<typeof config.flinks>,
    logger: createLogger({ level: 'warn' }),
  });
}

async function migrate(io: CliIo): Promise<number> {
  // createEngine runs the migrations before it resolves.
  const engine = await openEngine(io);
  const ready = await engine.isReady();
  await engine.stop();
  io.stdout(
    ready ? 'flinkit: database schema is up to date.' : 'flinkit: the database does not answer.',
  );
  return ready ? 0 : 1;
}

async function retrieve(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { connection: { type: 'string' }, user: { type: 'string' } },
  });
  if (!values.connection || !values.user) {
    io.stderr('flinkit retrieve: pass --connection <id> and --user <id>.');
    return 1;
  }
  const engine = await openEngine(io);
  const connectionId = values.connection;
  try {
    engine.start();
    const final = await new Promise<string | null>((resolve) => {
      const unsubscribe = engine.subscribe(connectionId, (connection) => {
        io.stdout(
          JSON.stringify({
            status: connection.status,
            attempt: connection.attempt,
            error: connection.error,
          }),
        );
        if (isTerminalStatus(connection.status)) {
          unsubscribe();
          resolve(connection.status);
        }
      });
      engine.refresh(values.user as string, connectionId).then(
        (connection) => {
          if (connection === null) {
            unsubscribe();
            resolve(null);
          }
        },
        () => {
          unsubscribe();
          resolve(null);
        },
      );
    });
    if (final === null) io.stderr('flinkit retrieve: no such connection for this user.');
    return final === 'ready' ? 0 : 1;
  } finally {
    await engine.stop();
  }
}

function processSignals(handler: () => void): () => void {
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
