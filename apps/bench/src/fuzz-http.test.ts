import {
  createFlinkitApp,
  createLogger,
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
import {
  CONNECTION_ROUTES,
  createTally,
  MUST_REACH_2XX,
  readStreamStart,
  routeLabel,
  type Tally,
} from './test-http-tally';

const WEBHOOK_SECRET = 'fuzz-webhook-secret';
let sim: Simulator;
let storage: EngineStorage;
let engine: RetrievalEngine;
let signed: FlinkitApp;
let unsigned: FlinkitApp;
let aliceToken: string;
let bobToken: string;
let aliceLoginId: string;
/** Alice's live connection, the target of `__real__` (re-linked only once a DELETE removed it). */
let realId: string | null = null;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
/** Every log line of both apps and the engine, at debug level. */
const logs: string[] = [];

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  sim = await startSimulator({ processingMs: 0 });
  storage = createEngineStorage();
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line) => logs.push(line) },
  });
  // A real engine on SQLite, never started: routes read and write rows, webhooks complete
  // retrievals, sessions mint tokens upstream; no retrieval step runs.
  engine = await createEngine({
    flinks: {
      apiUrl: sim.apiUrl,
      customerId: sim.customerId,
      secretKey: sim.secretKey,
      apiKey: sim.apiKey,
    },
    databaseUrl: storage.databaseUrl,
    encryptionKeys: storage.encryptionKeys,
    logger,
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
    logger: logger,
  };
  signed = createFlinkitApp({ ...common, webhookSecret: WEBHOOK_SECRET });
  unsigned = createFlinkitApp({ ...common, acceptUnsignedWebhooks: true });
  aliceToken = signUserToken({
    userId: 'alice',
    secret: BENCH_USER_TOKEN_SECRET,
    ttlSeconds: 3600,
  });
  bobToken = signUserToken({ userId: 'bob', secret: BENCH_USER_TOKEN_SECRET, ttlSeconds: 3600 });
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

/** Alice's live connection id: the same one until a fuzzed DELETE removes it. */
async function aliceConnectionId(): Promise<string> {
  if (realId !== null && (await engine.getConnection('alice', realId))) return realId;
  const { connection } = await engine.createConnection({ userId: 'alice', loginId: aliceLoginId });
  realId = connection.id;
  return realId;
}

async function toRequest(input: FuzzRequest): Promise<Request> {
  const { method } = input.route;
  let path = input.route.path;
  if (path.includes('__real__')) path = path.replace('__real__', await aliceConnectionId());
  const headers = new Headers();
  if (input.authorization === '__alice__') headers.set('authorization', `Bearer ${aliceToken}`);
  else if (input.authorization === '__bob__') headers.set('authorization', `Bearer ${bobToken}`);
  else if (input.authorization !== null) headers.set('authorization', input.authorization);
  if (input.contentType !== null) headers.set('content-type', input.contentType);
  if (input.lastEventId !== null) headers.set('last-event-id', input.lastEventId);
  if (input.origin !== null) headers.set('origin', input.origin);
  const body = input.body?.replaceAll('__login__', aliceLoginId) ?? null;
  const hasBody = body !== null && method !== 'GET' && method !== 'HEAD';
  if (hasBody && input.signWebhook) {
    headers.set('flinks-authenticity-key', signFlinksWebhook(body, WEBHOOK_SECRET));
  }
  return new Request(`http://proxy.test${path}${input.query}`, {
    method,
    headers,
    ...(hasBody ? { body } : {}),
  });
}

/** Secrets that may appear in no answer and no log line. */
function neverShown(): string[] {
  return [
    sim.secretKey,
    sim.apiKey,
    WEBHOOK_SECRET,
    BENCH_USER_TOKEN_SECRET,
    aliceLoginId,
    aliceToken,
    bobToken,
  ];
}

async function expectClientError(app: FlinkitApp, input: FuzzRequest, tally: Tally) {
  const response = await app.fetch(await toRequest(input));
  // A webhook is answered before it is processed: let it finish, so each run is reproducible.
  await app.whenIdle();
  const { method, path } = input.route;
  const label = routeLabel(input.route);
  tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
  if (response.status < 300) tally.reached.set(label, (tally.reached.get(label) ?? 0) + 1);
  const stream = response.headers.get('content-type')?.startsWith('text/event-stream');
  const text = stream ? await readStreamStart(response) : await response.text();
  const where = `${method} ${path}${input.query} → ${response.status} ${text.slice(0, 300)}`;
  for (const secret of neverShown()) expect(text, where).not.toContain(secret);

  if (
    input.authorization === '__bob__' &&
    path.includes('__real__') &&
    CONNECTION_ROUTES.has(label) &&
    !input.query.includes('ticket=') &&
    !(input.body !== null && input.body.length > 16 * 1024 && method !== 'GET')
  ) {
    tally.bobOnAlice += 1;
    expect(response.status, where).toBe(404);
  }
  if (stream) {
    expect(response.status, where).toBe(200);
    expect(text, where).toMatch(/^retry: \d+\n\n/);
    return;
  }
  expect(response.status, where).toBeLessThan(500);
  if (response.status === 200 && label === 'POST /v1/connections/{id}/ticket') {
    tally.handedOut.add((JSON.parse(text) as { ticket: string }).ticket);
  }
  if (response.status === 200 && label === 'POST /v1/connect/sessions') {
    const url = new URL((JSON.parse(text) as { url: string }).url);
    tally.handedOut.add(url.searchParams.get('authorizeToken') as string);
  }
  // A HEAD answer has no body by definition; its status is still checked above.
  if (response.status >= 400 && method !== 'HEAD') {
    const body = JSON.parse(text) as {
      error: { code: unknown; message: unknown; recoverable: unknown };
    };
    expect(body.error.code, where).toMatch(/^[a-z_]+$/);
    expect(typeof body.error.message, where).toBe('string');
    expect(typeof body.error.recoverable, where).toBe('boolean');
  }
}

/** Runs the property, then checks what the run reached and every log line it produced. */
async function fuzz(app: FlinkitApp, label: string, options: { numRuns: number; seed: number }) {
  const tally = createTally();
  const logsBefore = logs.length;
  await fc.assert(
    fc.asyncProperty(requestArbitrary, (input) => expectClientError(app, input, tally)),
    options,
  );
  await app.whenIdle();
  const reached = MUST_REACH_2XX.map((route) => `${route}×${tally.reached.get(route) ?? 0}`);
  console.log(
    `HTTP fuzz (${label}): ${options.numRuns} requests, statuses ${tally.histogram()}; 2xx by ` +
      `route ${reached.join(', ')}; bob on alice's connection ${tally.bobOnAlice}×404; ` +
      `${logs.length - logsBefore} log lines scanned`,
  );
  // Not a run of 401s and 404s: every route answered a caller it should serve.
  for (const route of MUST_REACH_2XX)
    expect(tally.reached.get(route) ?? 0, `2xx answers of ${route}`).toBeGreaterThan(0);
  expect(tally.bobOnAlice).toBeGreaterThan(10);
  // The logger was on (a request line each, at least), and no line carries a secret.
  const lines = logs.slice(logsBefore);
  expect(lines.length).toBeGreaterThan(options.numRuns / 2);
  expect(tally.handedOut.size).toBeGreaterThan(0);
  for (const line of lines) {
    for (const secret of [...neverShown(), ...tally.handedOut]) expect(line).not.toContain(secret);
  }
  expect(rejections).toEqual([]);
}

describe('HTTP fuzzing of every route (fast-check)', () => {
  it('answers any body, params and headers with 2xx or a 4xx JSON error (webhook secret set)', async () => {
    await fuzz(signed, 'signed webhooks', { numRuns: 1_000, seed: 20261125 });
  });

  it('answers any request the same way when webhooks are accepted unsigned', async () => {
    await fuzz(unsigned, 'unsigned webhooks', { numRuns: 500, seed: 7 });
  });
});
