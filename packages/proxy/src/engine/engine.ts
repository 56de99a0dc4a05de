import { randomUUID } from 'node:crypto';
import { createKeyring } from '../base/crypto';
import { FlinkitProxyError } from '../base/errors';
import { type Logger, SILENT_LOGGER } from '../base/logger';
import { createFlinksClient } from '../flinks/client';
import { openStore } from '../store/open-store';
import type { ConnectionState, KeyUsage, RetrievalRow, Store } from '../store/store';
import { isStoreUnavailable } from '../store/store-errors';
import { toConnection } from './connection-view';
import { accountIdsOf, institutionOf, lastRefreshOf, selectAccounts } from './flinks-payload';
import { createHeldDetails } from './held-details';
import { createOutbox } from './outbox';
import { runRetrievalStep, type StepContext } from './retrieval-step';
import { createStatusFeed } from './status-feed';
import type { RetrievalTarget } from './step-context';
import type { EngineOptions, RetrievalEngine } from './types';
import { createWebhookIngest } from './webhook-ingest';
import { createWorkerLoop, holdLease } from './worker-loop';

/**
 * Opens the store (running migrations) and builds the durable retrieval engine
 * (apps/docs/architecture.md#retrieval-engine). Call `start()` to begin claiming work and `stop()`
 * to end it (`stop()` also closes a store the engine opened itself).
 *
 * @example
 * const engine = await createEngine({ flinks, encryptionKeys, deliver: async (d) => save(d) });
 * engine.start();
 * const { connection } = await engine.createConnection({ userId, loginId });
 */
export async function createEngine(options: EngineOptions): Promise<RetrievalEngine> {
  const keyring = createKeyring(options.encryptionKeys);
  const store = options.store ?? (await openStore(options.databaseUrl));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? SILENT_LOGGER;
  const owner = options.instanceId ?? randomUUID();
  const leaseMs = options.leaseMs ?? 30_000;
  const pollTimeoutMs = options.pollTimeoutMs ?? 1_800_000;
  const retentionMs = options.payloadRetentionMs ?? 30 * 24 * 3_600_000;
  const deliver = options.deliver;
  const flinks = createFlinksClient({
    ...options.flinks,
    random,
    ...(options.onUpstreamCall ? { onCall: options.onUpstreamCall } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  await reportMissingKeys(store, keyring.keyIds, logger);
  const feed = createStatusFeed({ store, logger });
  // Per retrieval in a step: the next run time its last write set, so the loop only moves its
  // timer when the step ends instead of reading the store.
  const stepping = new Map<string, number | null | undefined>();
  const emit = (state: ConnectionState) => {
    if (stepping.has(state.retrieval.id))
      stepping.set(state.retrieval.id, state.retrieval.nextRunAt);
    feed.changed(state);
  };

  const outbox = deliver
    ? createOutbox({
        store,
        keyring,
        deliver,
        logger,
        owner,
        now,
        random,
        leaseMs,
        retryBaseMs: options.deliveryRetryBaseMs ?? 1_000,
        retryMaxMs: options.deliveryRetryMaxMs ?? 600_000,
        concurrency: 4,
      })
    : null;

  async function complete(
    retrieval: RetrievalTarget,
    flinksPayload: Record<string, unknown>,
    attempt?: number,
  ): Promise<boolean> {
    const retrievalId = retrieval.id;
    // Filtered before it is stored, so the views, the hook and the forward webhook agree.
    const owner = await store.getConnection(retrieval.connectionId);
    const payload = selectAccounts(flinksPayload, accountIdsOf(owner?.connection ?? null));
    const at = now();
    const lastRefresh = lastRefreshOf(payload);
    const institution = institutionOf(payload);
    const state = await store.completeRetrieval({
      retrievalId,
      payloadEnc: keyring.encrypt(JSON.stringify(payload)),
      ...(lastRefresh ? { lastRefresh } : {}),
      ...(institution ? { institution } : {}),
      expiresAt: at + retentionMs,
      now: at,
      ...(attempt === undefined ? {} : { attempt }),
      ...(outbox ? { deliveryId: randomUUID() } : {}),
    });
    if (!state) return false;
    logger.info({ connectionId: state.connection.id, retrievalId }, 'retrieval completed');
    emit(state);
    outbox?.wake();
    return true;
  }

  const logError = (message: string) => (error: unknown) =>
    logger.error({ error: error instanceof Error ? error.name : 'unknown' }, message);
  const held = createHeldDetails({
    store,
    owner,
    leaseMs,
    now,
    max: options.maxHeldRequests ?? 1_000,
    onError: logError('held GetAccountsDetail error'),
    onSettled: () => retrievals.wake(),
  });

  const context: StepContext = {
    store,
    flinks,
    keyring,
    logger,
    owner,
    now,
    random,
    pollIntervalMs: options.pollIntervalMs ?? 10_000,
    detail: options.detail ?? {},
    maxReauthorizations: options.maxReauthorizations ?? 3,
    retryBaseMs: options.retryBaseMs ?? 2_000,
    held,
    emit,
    complete,
  };

  const retrievals = createWorkerLoop<RetrievalRow>({
    concurrency: options.maxConcurrentSteps ?? 256,
    claim: (limit) => store.claimRetrievals(owner, now(), limit, leaseMs),
    async run(row) {
      // An event loop that stalled between the claim and now (a long GC pause, a starved CPU,
      // a paused VM) may resume after the lease ran out, when another instance may already be
      // stepping the row: a lost lease never calls Flinks.
      if (row.leaseUntil === null || now() >= row.leaseUntil) {
        await store.releaseRetrieval(row.id, owner);
        return;
      }
      const stopRenewing = holdLease(
        () => store.renewRetrieval(row.id, owner, now() + leaseMs),
        leaseMs,
        () => undefined,
      );
      stepping.set(row.id, undefined);
      try {
        await runRetrievalStep(context, row);
        return stepping.get(row.id);
      } catch (error) {
        // The step could not write its outcome (e.g. a database error): free the row so it
        // is retried at once rather than after the lease expires.
        await store.releaseRetrieval(row.id, owner).catch(() => undefined);
        throw error;
      } finally {
        stepping.delete(row.id);
        stopRenewing();
      }
    },
    nextDueAt: () => store.nextRetrievalDueAt(),
    now,
    maxIdleMs: Math.min(leaseMs, 5_000),
    isOutage: isStoreUnavailable,
    batchMs: options.claimBatchMs ?? 20,
    onError: (error) =>
      logger.error(
        {
          error: error instanceof Error ? error.name : 'unknown',
          storeUnavailable: isStoreUnavailable(error),
        },
        isStoreUnavailable(error)
          ? 'retrieval worker: the database cannot be written; backing off'
          : 'retrieval worker error',
      ),
  });

  async function owned(userId: string, connectionId: string): Promise<ConnectionState | null> {
    const state = await store.getConnection(connectionId);
    return state && state.connection.userId === userId ? state : null;
  }

  let sweepTimer: ReturnType<typeof setInterval> | undefined;
  let stopping: Promise<void> | undefined;
  const newRetrieval = () => ({ id: randomUUID(), deadlineAt: now() + pollTimeoutMs });

  return {
    async createConnection(input) {
      requireText(input.userId, 'userId');
      requireText(input.loginId, 'loginId');
      // A browser-supplied RequestId and institution are ignored on purpose: the proxy always
      // authorizes with the stored loginId, so one user cannot make it fetch another login's
      // session, and the institution shown is the one Flinks names in its answers.
      const result = await store.createConnection({
        connectionId: randomUUID(),
        userId: input.userId,
        loginIdEnc: keyring.encrypt(input.loginId),
        loginIdHashes: keyring.loginIdHashes(input.loginId),
        tag: input.tag ?? null,
        accountIds: input.accountIds ? [...new Set(input.accountIds)] : null,
        retrieval: newRetrieval(),
        now: now(),
      });
      if (result.started) {
        if (!result.created) emit(result);
        retrievals.wake();
      }
      return { connection: toConnection(result), created: result.started };
    },
    async refresh(userId, connectionId) {
      if (!(await owned(userId, connectionId))) return null;
      const result = await store.startRetrieval(connectionId, newRetrieval(), now());
      if (!result) return null;
      if (result.started) {
        emit(result);
        retrievals.wake();
      }
      return toConnection(result);
    },
    async getConnection(userId, connectionId) {
      const state = await owned(userId, connectionId);
      return state ? toConnection(state) : null;
    },
    async listConnections(userId) {
      return (await store.listConnections(userId)).map(toConnection);
    },
    async deleteConnection(userId, connectionId, deleteOptions) {
      const state = await owned(userId, connectionId);
      if (!state) return false;
      if (deleteOptions?.deleteUpstream && state.connection.loginIdEnc) {
        // Upstream first: if Flinks fails, the loginId is still here for a retry. A login
        // Flinks no longer knows is as good as deleted.
        const upstream = await flinks.deleteCard(keyring.decrypt(state.connection.loginIdEnc));
        logger.info({ connectionId, upstream }, 'DeleteCard done');
      }
      return store.deleteConnection(connectionId, now());
    },
    async getPayload(userId, connectionId) {
      if (!(await owned(userId, connectionId))) return null;
      const row = await store.getLatestPayload(connectionId, now());
      if (!row) return null;
      const payload = JSON.parse(keyring.decrypt(row.dataEnc)) as Record<string, unknown>;
      return { payload, retrievedAt: new Date(row.createdAt).toISOString() };
    },
    ingestWebhook: createWebhookIngest({ store, keyring, complete }),
    subscribe: (connectionId, listener) => feed.subscribe(connectionId, listener),
    mintAuthorizeToken: () => flinks.generateAuthorizeToken(),
    // Only a database several instances share is worth the round trips; on SQLite, memory does.
    ...(store.changes ? { coordination: store } : {}),
    countByStatus: () => store.countByStatus(),
    isReady: () => store.ping(),
    start() {
      if (stopping) return;
      feed.start();
      retrievals.start();
      outbox?.start();
      if (sweepTimer === undefined) {
        const sweep = () =>
          void Promise.all([
            store.sweepPayloads(now()),
            store.sweepCoordination(now(), now() - 24 * 3_600_000),
          ]).catch(() => logger.warn({}, 'payload sweep failed'));
        sweep();
        sweepTimer = setInterval(sweep, options.sweepIntervalMs ?? 3_600_000);
        sweepTimer.unref();
      }
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(sweepTimer);
        sweepTimer = undefined;
        feed.stop();
        // Held GetAccountsDetail calls are abandoned, not awaited (Flinks may hold them 210 s).
        await Promise.all([retrievals.stop(), outbox?.stop(), held.abandon()]);
        await flinks.close();
        if (!options.store) await store.close();
      })();
      return stopping;
    },
  };
}

/**
 * Logs once, at start, each key id that stored values need and the keyring lacks, with how
 * many values need it and how to fix it: those values fail with `encryption_key_missing`.
 */
export async function reportMissingKeys(
  store: Pick<Store, 'unreadableByKey'>,
  keyIds: readonly string[],
  logger: Logger,
): Promise<KeyUsage[]> {
  const missing = await store.unreadableByKey(keyIds);
  for (const { keyId, connections, payloads } of missing) {
    logger.error(
      { event: 'encryption_key_missing', keyId, connections, payloads },
      `FLINKIT_ENCRYPTION_KEYS lacks key id "${keyId}": ${connections} stored loginId(s) and ${payloads} payload(s) were encrypted with it and cannot be read (they fail with encryption_key_missing). Add "${keyId}:<its base64 key>" back after the current key, or delete those connections.`,
    );
  }
  return missing;
}

function requireText(value: unknown, name: string): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 512) {
    throw new FlinkitProxyError({
      code: 'invalid_input',
      message: `${name} must be a non-empty string of at most 512 characters.`,
      recoverable: false,
      status: 400,
    });
  }
}
