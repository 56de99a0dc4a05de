import type { Connection } from '@flinkit/core/wire';
import type { CreateConnectionInput, RetrievalEngine, WebhookOutcome } from '../engine/types';

/** An in-memory {@link RetrievalEngine} for route tests, with handles to drive it. */
export interface FakeEngine extends RetrievalEngine {
  /** Changes a connection (bumping its version) and notifies subscribers, like the engine. */
  update(connectionId: string, patch: Partial<Connection>): Connection;
  /** Stores a payload and marks the connection ready. */
  complete(connectionId: string, payload: Record<string, unknown>): Connection;
  loginIdOf(connectionId: string): string | undefined;
  /** The account selection the connection was linked with. */
  accountIdsOf(connectionId: string): readonly string[] | undefined;
  listenerCount(connectionId: string): number;
  ingested: unknown[];
  deletions: Array<{ connectionId: string; deleteUpstream: boolean }>;
  webhookOutcome: WebhookOutcome;
  /** When set, `ingestWebhook` waits for it (a slow engine). */
  ingestGate: Promise<void> | null;
  ready: boolean;
  counts: Record<string, number>;
}

/** A fresh fake engine; `now` fixes the timestamps it writes. */
export function createFakeEngine(
  now: () => number = () => Date.parse('2026-01-01T00:00:00Z'),
): FakeEngine {
  const rows = new Map<
    string,
    {
      userId: string;
      loginId: string;
      accountIds?: readonly string[] | undefined;
      connection: Connection;
    }
  >();
  const payloads = new Map<string, { payload: Record<string, unknown>; retrievedAt: string }>();
  const listeners = new Map<string, Set<(connection: Connection) => void>>();
  let sequence = 0;

  const iso = () => new Date(now()).toISOString();
  const notify = (connection: Connection) => {
    for (const listener of [...(listeners.get(connection.id) ?? [])]) listener(connection);
  };
  const owned = (userId: string, id: string) => {
    const row = rows.get(id);
    return row && row.userId === userId ? row : undefined;
  };

  const engine: FakeEngine = {
    ingested: [],
    deletions: [],
    webhookOutcome: 'completed',
    ingestGate: null,
    ready: true,
    counts: { pending: 0, processing: 1, ready: 2 },
    async createConnection(input: CreateConnectionInput) {
      for (const row of rows.values()) {
        if (row.userId === input.userId && row.loginId === input.loginId) {
          return { connection: row.connection, created: false };
        }
      }
      sequence += 1;
      const connection: Connection = {
        id: `conn_${sequence}`,
        status: 'pending',
        institution: input.institution ?? null,
        tag: input.tag ?? null,
        retrievalId: `ret_${sequence}`,
        attempt: 0,
        startedAt: iso(),
        nextPollAt: null,
        deadlineAt: new Date(now() + 1_800_000).toISOString(),
        completedAt: null,
        updatedAt: iso(),
        version: 1,
        error: null,
        lastRefresh: null,
        stale: null,
      };
      rows.set(connection.id, {
        userId: input.userId,
        loginId: input.loginId,
        accountIds: input.accountIds,
        connection,
      });
      return { connection, created: true };
    },
    async refresh(userId, id) {
      if (!owned(userId, id)) return null;
      sequence += 1;
      return engine.update(id, {
        status: 'pending',
        retrievalId: `ret_${sequence}`,
        attempt: 0,
        completedAt: null,
      });
    },
    async getConnection(userId, id) {
      return owned(userId, id)?.connection ?? null;
    },
    async listConnections(userId) {
      return [...rows.values()]
        .filter((row) => row.userId === userId)
        .map((row) => row.connection)
        .reverse();
    },
    async deleteConnection(userId, id, options) {
      if (!owned(userId, id)) return false;
      rows.delete(id);
      payloads.delete(id);
      engine.deletions.push({ connectionId: id, deleteUpstream: options?.deleteUpstream ?? false });
      return true;
    },
    async getPayload(userId, id) {
      return owned(userId, id) ? (payloads.get(id) ?? null) : null;
    },
    async ingestWebhook(body) {
      if (engine.ingestGate) await engine.ingestGate;
      engine.ingested.push(body);
      return engine.webhookOutcome;
    },
    subscribe(id, listener) {
      let set = listeners.get(id);
      if (!set) {
        set = new Set();
        listeners.set(id, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    async mintAuthorizeToken() {
      return 'fake-engine-token';
    },
    async countByStatus() {
      return engine.counts;
    },
    async isReady() {
      return engine.ready;
    },
    start() {},
    async stop() {},
    update(id, patch) {
      const row = rows.get(id);
      if (!row) throw new Error(`fake engine: no connection ${id}`);
      row.connection = {
        ...row.connection,
        ...patch,
        version: row.connection.version + 1,
        updatedAt: iso(),
      };
      notify(row.connection);
      return row.connection;
    },
    complete(id, payload) {
      payloads.set(id, { payload, retrievedAt: iso() });
      return engine.update(id, { status: 'ready', completedAt: iso(), nextPollAt: null });
    },
    accountIdsOf(id) {
      return rows.get(id)?.accountIds;
    },
    loginIdOf(id) {
      return rows.get(id)?.loginId;
    },
    listenerCount(id) {
      return listeners.get(id)?.size ?? 0;
    },
  };
  return engine;
}
