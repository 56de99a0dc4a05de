import { KeyMissingError, type Keyring } from '../base/crypto';
import type { Logger } from '../base/logger';
import type { OutboxRow, Store } from '../store/store';
import { isStoreUnavailable } from '../store/store-errors';
import type { Deliver } from './types';
import { createWorkerLoop, holdLease, type WorkerLoop } from './worker-loop';

/** Options of {@link createOutbox}. */
export interface OutboxOptions {
  store: Store;
  keyring: Keyring;
  deliver: Deliver;
  logger: Logger;
  owner: string;
  now(): number;
  random(): number;
  leaseMs: number;
  /** First retry delay; doubles per failed attempt (jittered 50–100 %), capped by `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  concurrency: number;
}

/**
 * The durable delivery worker: claims due outbox rows, calls `deliver` with the decrypted
 * payload, marks the row delivered when it resolves, and otherwise schedules a retry with
 * backoff. A row claimed by a process that died is retried once its lease expires. Delivery
 * is at-least-once; `deliveryId` is stable across retries so the host can deduplicate.
 */
export function createOutbox(options: OutboxOptions): WorkerLoop {
  const { store, owner, logger } = options;
  // Aborted by stop(): a receiver that never answers must not hold the shutdown.
  const stopping = new AbortController();

  async function deliverOne(row: OutboxRow): Promise<void> {
    const payloadRow = await store.getPayload(row.retrievalId);
    if (!payloadRow) {
      // Deleted or past retention: nothing left to deliver, stop retrying.
      await store.failDelivery(row.id, owner, 'payload_missing', null);
      return;
    }
    const stopRenewing = holdLease(
      () => store.renewDelivery(row.id, owner, options.now() + options.leaseMs),
      options.leaseMs,
      () => undefined,
    );
    try {
      const payload = JSON.parse(options.keyring.decrypt(payloadRow.dataEnc)) as Record<
        string,
        unknown
      >;
      const delivery = options.deliver(
        {
          deliveryId: row.id,
          userId: row.userId,
          connectionId: row.connectionId,
          retrievalId: row.retrievalId,
          completedAt: new Date(payloadRow.createdAt).toISOString(),
          payload,
        },
        { signal: stopping.signal },
      );
      // A hook that ignores the signal is left behind on stop; its delivery is retried later.
      await untilAborted(delivery, stopping.signal);
      await store.markDelivered(row.id, owner, options.now());
    } catch (error) {
      if (KeyMissingError.isInstance(error)) {
        // The payload cannot be read until the key is back: stop retrying (logged at start).
        logger.error(
          { deliveryId: row.id, event: 'encryption_key_missing', keyId: error.keyId },
          'delivery dropped: its payload is encrypted with a key FLINKIT_ENCRYPTION_KEYS lacks',
        );
        await store.failDelivery(row.id, owner, error.code, null);
        return;
      }
      const attempts = row.attempts + 1;
      const delay =
        Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** (attempts - 1)) *
        (0.5 + options.random() / 2);
      // Only the error's name is kept: a host's message may hold user data.
      const reason = error instanceof Error ? error.name : 'rejected';
      logger.warn({ deliveryId: row.id, attempts, reason }, 'delivery failed; will retry');
      await store.failDelivery(row.id, owner, reason, options.now() + delay);
    } finally {
      stopRenewing();
    }
  }

  const loop = createWorkerLoop<OutboxRow>({
    concurrency: options.concurrency,
    claim: (limit) => store.claimDeliveries(owner, options.now(), limit, options.leaseMs),
    run: deliverOne,
    nextDueAt: () => store.nextDeliveryDueAt(),
    now: options.now,
    maxIdleMs: options.leaseMs,
    isOutage: isStoreUnavailable,
    onError: (error) =>
      logger.error(
        { error: error instanceof Error ? error.name : 'unknown' },
        'outbox worker error',
      ),
  });
  return {
    ...loop,
    async stop() {
      const stopped = loop.stop(); // stops claiming first, then the deliveries in flight give up
      stopping.abort(new Error('The engine is stopping.'));
      await stopped;
    },
  };
}

/** `work`, or a rejection as soon as `signal` aborts; the listener never outlives the call. */
async function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw signal.reason;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      work,
      new Promise<never>((_resolve, reject) => {
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
