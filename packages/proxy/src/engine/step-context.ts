import type { Keyring } from '../base/crypto';
import type { Logger } from '../base/logger';
import type { AccountsDetailOptions, FlinksClient } from '../flinks/client';
import type { ConnectionState, RetrievalPatch, RetrievalRow, Store } from '../store/store';
import type { HeldDetails } from './held-details';

/** What one retrieval step needs from the engine. */
export interface StepContext {
  store: Store;
  flinks: FlinksClient;
  keyring: Keyring;
  logger: Logger;
  owner: string;
  now(): number;
  random(): number;
  pollIntervalMs: number;
  detail: AccountsDetailOptions;
  maxReauthorizations: number;
  /** Base of the transient-error backoff; doubles per consecutive failure, capped at 5 min. */
  retryBaseMs: number;
  /** Where first GetAccountsDetail calls wait for Flinks, outside the step limit. */
  held: HeldDetails;
  /** Emits a committed change to subscribers. */
  emit(state: ConnectionState): void;
  /**
   * Completes the retrieval once (payload filtered by the connection's account selection,
   * outbox, event); false if it was already done.
   */
  complete(
    retrieval: RetrievalTarget,
    payload: Record<string, unknown>,
    attempt: number,
  ): Promise<boolean>;
}

/** Which retrieval a completion is for. */
export type RetrievalTarget = Pick<RetrievalRow, 'id' | 'connectionId'>;

/**
 * Writes a step's outcome on the claimed row (and emits it). It releases the lease unless
 * `keepLease`; null when nothing was written (lease lost, or the retrieval is already done).
 */
export type Write = (patch: RetrievalPatch, keepLease?: boolean) => Promise<ConnectionState | null>;
