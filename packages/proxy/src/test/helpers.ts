import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import { createLogger } from '../base/logger';
import { createFlinkitApp, type FlinkitApp } from '../http/app';
import { signUserToken } from '../http/auth';
import type { FlinkitConfig } from '../http/config';
import { type RunningServer, type ServerConfig, startServer } from '../http/server';
import { createFakeEngine, type FakeEngine } from './fake-engine';

/** Secrets of the route tests: none may ever show up in a response body or a log line. */
export const TEST_SECRETS = {
  userTokenSecret: 'test-user-token-secret-0123456789abcdef',
  secretKey: 'sk-live-9f8e7d6c5b4a-SECRET',
  apiKey: 'ak-live-1a2b3c4d5e6f-APIKEY',
  webhookSecret: 'whk-secret-for-tests',
  // Flinks loginIds are GUIDs.
  loginId: 'b5f5c0c4-9d1e-4a55-8f1d-0e6a2c9d7b31',
};

/** A test app on a fake engine, with captured JSON log lines and token helpers. */
export interface TestApp {
  flinkit: FlinkitApp;
  engine: FakeEngine;
  logs: string[];
  minted: number;
  tokenFor(userId: string): string;
  request(path: string, init?: RequestInit & { user?: string }): Promise<Response>;
}

/** Builds a fresh app for one test. `overrides` change the config. */
export function createTestApp(
  overrides: { [Key in keyof FlinkitConfig]?: FlinkitConfig[Key] | undefined } = {},
  options: { now?: () => number } = {},
): TestApp {
  const engine = createFakeEngine(options.now);
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const test: TestApp = {
    engine,
    logs,
    minted: 0,
    flinkit: undefined as unknown as FlinkitApp,
    tokenFor(userId) {
      return signUserToken({
        userId,
        secret: TEST_SECRETS.userTokenSecret,
        ...(options.now ? { now: options.now } : {}),
      });
    },
    async request(path, init = {}) {
      const { user, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (user !== undefined) headers.set('authorization', `Bearer ${test.tokenFor(user)}`);
      return test.flinkit.app.request(path, { ...rest, headers });
    },
  };
  const merged: Record<string, unknown> = {
    engine,
    userTokenSecret: TEST_SECRETS.userTokenSecret,
    connect: { instance: 'toolbox' },
    mintAuthorizeToken: async () => {
      test.minted += 1;
      return { token: `tok_${test.minted}` };
    },
    logger: createLogger({ level: 'debug', destination }),
    ...(options.now ? { now: options.now } : {}),
    ...overrides,
  };
  // An override of `undefined` removes the default (e.g. the fake token minter).
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  test.flinkit = createFlinkitApp(merged as FlinkitConfig);
  return test;
}

/** JSON POST init. */
export function postJson(
  body: unknown,
  init: RequestInit & { user?: string } = {},
): RequestInit & { user?: string } {
  return {
    method: 'POST',
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.headers as Record<string, string> | undefined),
    },
    body: JSON.stringify(body),
  };
}

/**
 * Starts `startServer` on a fake engine, at a free port, silent, its user tokens signed with
 * `userTokenSecret`; every server started is closed after each test of the calling file.
 */
export function useFakeServers(userTokenSecret: string) {
  const running: RunningServer[] = [];
  afterEach(async () => {
    for (const server of running.splice(0)) await server.close();
  });
  return async (overrides: Partial<ServerConfig> = {}) => {
    const engine = createFakeEngine();
    const server = await startServer({
      engine,
      userTokenSecret,
      port: 0,
      logger: { level: 'silent' },
      ...overrides,
    });
    running.push(server);
    return { server, engine };
  };
}
