import type { Connection } from '@flinkit/core/wire';
import type { Logger } from '../base/logger';
import type { ConnectionState, Store } from '../store/store';
import { toConnection } from './connection-view';

/** Options of {@link createStatusFeed}. */
export interface StatusFeedOptions {
  store: Store;
  logger: Logger;
  /** How often watched connections are re-read when the store is shared; default 1 500 ms. */
  safetyPollMs?: number;
}

/** The engine's `subscribe` side: local listeners, fed by this instance and, when shared, by all. */
export interface StatusFeed {
  /** A change this instance committed: calls local listeners and tells the other instances. */
  changed(state: ConnectionState): void;
  subscribe(connectionId: string, listener: (connection: Connection) => void): () => void;
  /** Starts listening to other instances (shared stores only). */
  start(): void;
  stop(): void;
}

/**
 * Status events across instances. Local changes go straight to local listeners; on a shared
 * store they are also published (NOTIFY). A notification from another instance is only a
 * hint: the row is re-read and listeners get it when its version is newer than the last one
 * they got. Watched rows are also re-read every `safetyPollMs` and after a listener gap, so a
 * lost notification delays an event but never drops it.
 */
export function createStatusFeed(options: StatusFeedOptions): StatusFeed {
  const { store, logger } = options;
  const listeners = new Map<string, Set<(connection: Connection) => void>>();
  const lastVersion = new Map<string, number>();
  const reading = new Map<string, boolean>();
  let stopListening: (() => void) | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;

  function deliver(connection: Connection): void {
    const set = listeners.get(connection.id);
    if (!set) return;
    lastVersion.set(
      connection.id,
      Math.max(lastVersion.get(connection.id) ?? 0, connection.version),
    );
    for (const listener of [...set]) {
      try {
        listener(connection);
      } catch (error) {
        logger.error(
          { connectionId: connection.id, error: error instanceof Error ? error.name : 'unknown' },
          'status listener threw',
        );
      }
    }
  }

  /** Re-reads a watched connection; one read at a time per connection, repeated if asked meanwhile. */
  async function refresh(connectionId: string): Promise<void> {
    if (reading.has(connectionId)) {
      reading.set(connectionId, true);
      return;
    }
    reading.set(connectionId, false);
    try {
      do {
        reading.set(connectionId, false);
        const state = await store.getConnection(connectionId);
        if (state && state.connection.version > (lastVersion.get(connectionId) ?? 0)) {
          deliver(toConnection(state));
        }
      } while (reading.get(connectionId) === true && listeners.has(connectionId));
    } catch (error) {
      logger.warn(
        { connectionId, error: error instanceof Error ? error.name : 'unknown' },
        'status re-read failed',
      );
    } finally {
      reading.delete(connectionId);
    }
  }

  const refreshAll = () => {
    for (const connectionId of listeners.keys()) void refresh(connectionId);
  };

  return {
    changed(state) {
      // Most steps change a connection nobody watches: skip building its wire form.
      if (listeners.has(state.connection.id)) deliver(toConnection(state));
      const { id, version } = state.connection;
      store.changes
        ?.publish(id, version)
        .catch((error: unknown) =>
          logger.warn(
            { connectionId: id, error: error instanceof Error ? error.name : 'unknown' },
            'status notify failed',
          ),
        );
    },
    subscribe(connectionId, listener) {
      const set = listeners.get(connectionId) ?? new Set();
      listeners.set(connectionId, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(connectionId) === set) {
          listeners.delete(connectionId);
          lastVersion.delete(connectionId);
        }
      };
    },
    start() {
      const changes = store.changes;
      if (stopListening) return;
      if (!changes) {
        // One file shared by several processes: their commits make watched rows re-read.
        stopListening = store.externalWrites?.listen(refreshAll);
        return;
      }
      stopListening = changes.listen({
        onChange(connectionId, version) {
          if (!listeners.has(connectionId)) return;
          if (version > (lastVersion.get(connectionId) ?? 0)) void refresh(connectionId);
        },
        onGap: refreshAll,
      });
      poll = setInterval(refreshAll, options.safetyPollMs ?? 1_500);
      poll.unref();
    },
    stop() {
      clearInterval(poll);
      poll = undefined;
      stopListening?.();
      stopListening = undefined;
    },
  };
}
