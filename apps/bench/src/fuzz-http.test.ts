import {
  createFlinkitApp,
  type FlinkitApp,
  type RetrievalEngine,
  signFlinksWebhook,
  signUserToken,
} from '@flinkit/proxy';
import { createEngine } from '@flinkit/proxy/node';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BENCH_USER_TOKEN_SECRET,
  createEngineStorage,
  type EngineStorage,
  UNLIMITED_RATE,
} from './proxy-fixture';
import { type FuzzRequest, requestArbitrary } from './test-http-arbitraries';

const WEBHOOK_SECRET = 'fuzz-webhook-secret';
let sim: Simulator;
let storage: EngineStorage;
let engine: RetrievalEngine;
let signed: FlinkitApp;
let unsigned: FlinkitApp;
let aliceToken: string;
let aliceLoginId: string;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  sim = await startSimulator({ processingMs: 0 });
  storage = createEngineStorage();
  // A real engine on SQLite, never started: routes read and write rows, nothing calls upstream.
  engine = await createEngine({
    flinks: {
      apiUrl: sim.apiUrl,
      customerId: sim.customerId,
      secretKey: sim.secretKey,
      apiKey: sim.apiKey,
    },
    databaseUrl: storage.databaseUrl,
    encryptionKeys: storage.encryptionKeys,
  });
  const common = {
    engine,
    flinks: {
      apiUrl: sim.apiUrl,
      customerId: sim.customerId,
      secretKey: sim.secretKey,
      apiKey: sim.apiKey,
    },
    connect: { url: sim.connectUrl },
    userTokenSecret: BENCH_USER_TOKEN_SECRET,
    rateLimits: UNLIMITED_RATE,
    allowedOrigins: ['https://app.example.com'],
    logger: { level: 'silent' as const },
  };
  signed = createFlinkitApp({ ...common, webhookSecret: WEBHOOK_SECRET });
  unsigned = createFlinkitApp(common);
  aliceToken = signUserToken({
    userId: 'alice',
    secret: BENCH_USER_TOKEN_SECRET,
    ttlSeconds: 3600,
  });
  aliceLoginId = sim.createLogin('greatday_nomfa');
});

afterAll(async () => {
  await signed?.close();
  await unsigned?.close();
  await engine?.stop();
  await sim?.close();
  storage?.remove();
  process.off('unhandledRejection', onRejection);
});

async function toRequest(input: FuzzRequest): Promise<Request> {
  const { method } = input.route;
  let path = input.route.path;
  if (path.includes('__real__')) {
    // A live connection of alice's (a fuzzed DELETE may have removed the previous one).
    const { connection } = await engine.createConnection({
      userId: 'alice',
      loginId: aliceLoginId,
    });
    path = path.replace('__real__', connection.id);
  }
  const headers = new Headers();
  if (input.authorization === '__alice__') headers.set('authorization', `Bearer ${aliceToken}`);
  else if (input.authorization === '__bob__') {
    headers.set(
      'authorization',
      `Bearer ${signUserToken({ userId: 'bob', secret: BENCH_USER_TOKEN_SECRET })}`,
    );
  } else if (input.authorization !== null) headers.set('authorization', input.authorization);
  if (input.contentType !== null) headers.set('content-type', input.contentType);
  if (input.lastEventId !== null) headers.set('last-event-id', input.lastEventId);
  if (input.origin !== null) headers.set('origin', input.origin);
  const hasBody = input.body !== null && method !== 'GET' && method !== 'HEAD';
  if (hasBody && input.signWebhook) {
    headers.set('flinks-authenticity-key', signFlinksWebhook(input.body as string, WEBHOOK_SECRET));
  }
  return new Request(`http://proxy.test${path}${input.query}`, {
    method,
    headers,
    ...(hasBody ? { body: input.body } : {}),
  });
}

const statuses = new Map<number, number>();
const histogram = () =>
  [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');

async function expectClientError(app: FlinkitApp, input: FuzzRequest): Promise<void> {
  const response = await app.fetch(await toRequest(input));
  const { method, path } = input.route;
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    await response.body?.cancel();
    expect(response.status).toBe(200);
    return;
  }
  const text = await response.text();
  expect(response.status, `${method} ${path} → ${response.status} ${text}`).toBeLessThan(500);
  // A HEAD answer has no body by definition; its status is still checked above.
  if (response.status >= 400 && method !== 'HEAD') {
    const body = JSON.parse(text) as {
      error: { code: unknown; message: unknown; recoverable: unknown };
    };
    expect(typeof body.error.code).toBe('string');
    expect(body.error.code).toMatch(/^[a-z_]+$/);
    expect(typeof body.error.message).toBe('string');
    expect(typeof body.error.recoverable).toBe('boolean');
    expect(text).not.toContain(sim.secretKey);
    expect(text).not.toContain(sim.apiKey);
  }
}

describe('HTTP fuzzing of every route (fast-check)', () => {
  it('answers any body, params and headers with 2xx or a 4xx JSON error (webhook secret set)', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (input) => {
        runs++;
        await expectClientError(signed, input);
      }),
      { numRuns: 1_000, seed: 20261125 },
    );
    await signed.whenIdle();
    console.log(`HTTP fuzz (signed webhooks): ${runs} requests, no 5xx; statuses ${histogram()}`);
    statuses.clear();
    expect(rejections).toEqual([]);
  });

  it('answers any request the same way when webhooks are accepted unsigned', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (input) => {
        runs++;
        await expectClientError(unsigned, input);
      }),
      { numRuns: 500, seed: 7 },
    );
    await unsigned.whenIdle();
    console.log(`HTTP fuzz (unsigned webhooks): ${runs} requests, no 5xx; statuses ${histogram()}`);
    expect(rejections).toEqual([]);
  });
});
