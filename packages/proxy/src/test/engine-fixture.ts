import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, ConnectionStatus } from '@flinkit/core/wire';
import { type Simulator, type SimulatorOptions, startSimulator } from '@flinkit/simulator';
import type { AccountsDetailEvent } from '../base/forward-webhook';
import { createEngine } from '../engine/engine';
import type { EngineOptions, RetrievalEngine } from '../engine/types';

/** A simulator, an engine on a fresh SQLite file, and what the engine emitted and delivered. */
export interface EngineFixture {
  sim: Simulator;
  engine: RetrievalEngine;
  dir: string;
  dbPath: string;
  encryptionKeys: EngineOptions['encryptionKeys'];
  /** Every status event, in order, for every connection. */
  events: Connection[];
  deliveries: AccountsDetailEvent[];
  /** Resolves with the connection once it reaches `status` (event-driven, no polling). */
  waitFor(
    connectionId: string,
    predicate: (connection: Connection) => boolean,
  ): Promise<Connection>;
  /** Upstream calls per endpoint seen by the simulator. */
  callsByEndpoint(): Record<string, number>;
  dispose(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 that records bodies and answers 200. */
export interface WebhookSink {
  url: string;
  bodies: unknown[];
  close(): Promise<void>;
}

/** Starts a local HTTP endpoint for the simulator's webhooks. */
export async function startWebhookSink(): Promise<WebhookSink> {
  const bodies: unknown[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Engine options for a fixture; `flinks` fields override the simulator's. */
export type FixtureEngineOptions = Omit<Partial<EngineOptions>, 'flinks'> & {
  flinks?: Partial<EngineOptions['flinks']>;
};

/** Starts the simulator and an engine wired to it (short intervals), and starts the engine. */
export async function startEngineFixture(
  simOptions: SimulatorOptions = {},
  engineOptions: FixtureEngineOptions = {},
): Promise<EngineFixture> {
  const sim = await startSimulator({ processingMs: 0, ...simOptions });
  const dir = mkdtempSync(join(tmpdir(), 'flinkit-engine-'));
  const dbPath = join(dir, 'flinkit.db');
  const events: Connection[] = [];
  const deliveries: AccountsDetailEvent[] = [];
  const { flinks, ...rest } = engineOptions;
  const encryptionKeys = rest.encryptionKeys ?? [{ id: 'test', key: randomBytes(32) }];
  const engine = await createEngine({
    databaseUrl: `sqlite:${dbPath}`,
    encryptionKeys,
    pollIntervalMs: 50,
    pollTimeoutMs: 10_000,
    retryBaseMs: 10,
    deliveryRetryBaseMs: 10,
    deliver: async (delivery) => {
      deliveries.push(delivery);
    },
    ...rest,
    flinks: {
      apiUrl: sim.apiUrl,
      customerId: sim.customerId,
      secretKey: sim.secretKey,
      apiKey: sim.apiKey,
      timeoutMs: 5_000,
      ...flinks,
    },
  });
  const allListeners = new Set<(connection: Connection) => void>();
  const subscribed = new Set<string>();
  const owners = new Map<string, string>();
  const watch = (connectionId: string) => {
    if (subscribed.has(connectionId)) return;
    subscribed.add(connectionId);
    engine.subscribe(connectionId, (connection) => {
      events.push(connection);
      for (const listener of [...allListeners]) listener(connection);
    });
  };
  // Subscribe to every connection as soon as createConnection() names it.
  const createConnection = engine.createConnection.bind(engine);
  engine.createConnection = async (input) => {
    const result = await createConnection(input);
    owners.set(result.connection.id, input.userId);
    watch(result.connection.id);
    return result;
  };
  engine.start();
  return {
    sim,
    engine,
    dir,
    dbPath,
    encryptionKeys,
    events,
    deliveries,
    async waitFor(connectionId, predicate) {
      watch(connectionId);
      return new Promise<Connection>((resolve) => {
        const listener = (connection: Connection) => {
          if (connection.id !== connectionId || !predicate(connection)) return;
          allListeners.delete(listener);
          resolve(connection);
        };
        allListeners.add(listener);
        void engine.getConnection(owners.get(connectionId) ?? '', connectionId).then((current) => {
          if (current) listener(current);
        });
      });
    },
    callsByEndpoint() {
      const counts: Record<string, number> = {};
      for (const request of sim.requests())
        counts[request.endpoint] = (counts[request.endpoint] ?? 0) + 1;
      return counts;
    },
    async dispose() {
      await engine.stop();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True for a connection in `status`. */
export const hasStatus =
  (...statuses: ConnectionStatus[]) =>
  (connection: Connection): boolean =>
    statuses.includes(connection.status);

/** Links a Toolbox user through the engine, as `POST /v1/connections` would. */
export async function link(fixture: EngineFixture, username: string, userId = 'user-1') {
  const loginId = fixture.sim.createLogin(username);
  const { connection } = await fixture.engine.createConnection({
    userId,
    loginId,
    institution: 'FlinksCapital',
  });
  return { loginId, connection };
}

/** The RequestIds the simulator has seen, oldest first. */
export function requestIdsOf(fixture: EngineFixture): string[] {
  return [...new Set(fixture.sim.requests().flatMap((r) => (r.requestId ? [r.requestId] : [])))];
}

/**
 * Waits until `condition` holds, reading it every 5 ms; throws naming `what` after `timeoutMs`
 * (so a condition that never comes fails the test instead of polling on after it timed out).
 */
export async function waitUntil(
  condition: () => boolean,
  what = 'the condition',
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
