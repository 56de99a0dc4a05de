import type { Connection } from '@flinkit/core/wire';
import type { EngineOptions } from '@flinkit/proxy';
import { createEngine, openStore } from '@flinkit/proxy/node';
import { startSimulator } from '@flinkit/simulator';
import { startEmbeddedPostgres } from '@flinkit/test-postgres';
import { createEngineStorage } from './proxy-fixture';

type Store = NonNullable<EngineOptions['store']>;

/** Outcome of a database fault soak. */
export interface DatabaseSoakFigure {
  fault: string;
  retrievals: number;
  /** Retrievals never delivered. */
  lost: number;
  /** Retrievals delivered under more than one delivery id. */
  doubled: number;
  /** Not terminal when the watchdog fired. */
  stuck: number;
  /** Retrievals that ended failed or timed out. */
  failed: number;
  /** Process warnings meanwhile (e.g. listeners piling up on one AbortSignal). */
  warnings: string[];
  durationMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `retrievals` through one engine while `fault` runs mid-way (after the first polls): every
 * retrieval must be delivered once (one delivery id), none stuck.
 */
async function soak(
  fault: string,
  retrievals: number,
  engineStore: { databaseUrl?: string; store?: Store },
  during: () => Promise<void>,
  watchdogMs: number,
): Promise<DatabaseSoakFigure> {
  const sim = await startSimulator({ processingMs: 2_000 });
  const storage = createEngineStorage();
  const deliveries = new Map<string, Set<string>>();
  const engine = await createEngine({
    flinks: {
      apiUrl: sim.apiUrl,
      customerId: sim.customerId,
      secretKey: sim.secretKey,
      apiKey: sim.apiKey,
    },
    ...engineStore,
    encryptionKeys: storage.encryptionKeys,
    pollIntervalMs: 200,
    retryBaseMs: 100,
    leaseMs: 3_000,
    deliveryRetryBaseMs: 200,
    deliveryRetryMaxMs: 1_000,
    deliver: async ({ retrievalId, deliveryId }) => {
      const ids = deliveries.get(retrievalId) ?? new Set<string>();
      ids.add(deliveryId);
      deliveries.set(retrievalId, ids);
    },
  });
  const started = Date.now();
  const finals = new Map<string, Connection>();
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    engine.start();
    const loginId = sim.createLogin('greatday_nomfa');
    for (let index = 0; index < retrievals; index++) {
      const { connection } = await engine.createConnection({ userId: `db-${index}`, loginId });
      engine.subscribe(connection.id, (next) => {
        if (['ready', 'failed', 'timed_out'].includes(next.status)) finals.set(next.id, next);
      });
    }
    await sleep(500);
    await during();
    const deadline = Date.now() + watchdogMs;
    while (Date.now() < deadline && (finals.size < retrievals || deliveries.size < finals.size)) {
      await sleep(100);
    }
    await sleep(300); // a late second delivery would show up here
    const ready = [...finals.values()].filter((connection) => connection.status === 'ready');
    return {
      fault,
      retrievals,
      lost: ready.filter((connection) => !deliveries.has(connection.retrievalId)).length,
      doubled: [...deliveries.values()].filter((ids) => ids.size > 1).length,
      stuck: retrievals - finals.size,
      failed: finals.size - ready.length,
      warnings,
      durationMs: Date.now() - started,
    };
  } finally {
    process.off('warning', onWarning);
    await engine.stop();
    await sim.close();
    storage.remove();
  }
}

/** What better-sqlite3 throws for a write to a read-only file (its `SqliteError`). */
function readOnlyError(): Error {
  return Object.assign(new Error('attempt to write a readonly database'), {
    name: 'SqliteError',
    code: 'SQLITE_READONLY',
  });
}

/** PostgreSQL stopped for `outageMs` and started again while `retrievals` run. */
export async function runPostgresRestartSoak(
  retrievals: number,
  outageMs = 3_000,
  watchdogMs = 60_000,
): Promise<DatabaseSoakFigure> {
  const postgres = await startEmbeddedPostgres();
  try {
    await postgres.createDatabase('soak');
    return await soak(
      'postgres restart',
      retrievals,
      { databaseUrl: postgres.url('soak') },
      async () => {
        await postgres.pause();
        await sleep(outageMs);
        await postgres.resume();
      },
      watchdogMs,
    );
  } finally {
    await postgres.stop();
  }
}

/**
 * A SQLite file that cannot be written for `outageMs` while `retrievals` run: every write of
 * the store fails as better-sqlite3 fails on a read-only file (`SQLITE_READONLY`); reads work.
 */
export async function runSqliteReadOnlySoak(
  retrievals: number,
  outageMs = 3_000,
  watchdogMs = 60_000,
): Promise<DatabaseSoakFigure> {
  const storage = createEngineStorage();
  const store = await openStore(storage.databaseUrl);
  let readOnly = false;
  const reads = /^(get|list|find|next|count|ping|unreadable)/;
  const faulty = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string' || key === 'close') return value;
      return (...args: unknown[]) =>
        readOnly && !reads.test(key)
          ? Promise.reject(readOnlyError())
          : (value as (...rest: unknown[]) => unknown).apply(target, args);
    },
  });
  try {
    return await soak(
      'sqlite read-only',
      retrievals,
      { store: faulty },
      async () => {
        readOnly = true;
        await sleep(outageMs);
        readOnly = false;
      },
      watchdogMs,
    );
  } finally {
    await store.close();
    storage.remove();
  }
}
