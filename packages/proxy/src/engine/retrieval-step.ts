import type { ErrorInfo } from '@flinkit/core/wire';
import { KeyMissingError, type Keyring } from '../base/crypto';
import type { Logger } from '../base/logger';
import type { AccountsDetailOptions, FlinksClient, FlinksResult } from '../flinks/client';
import { FlinksApiError, upstreamFailureFields, upstreamFailureMessage } from '../flinks/errors';
import type { ConnectionState, RetrievalPatch, RetrievalRow, Store } from '../store/store';
import { isStoreUnavailable } from '../store/store-errors';

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
  /** Emits a committed change to subscribers. */
  emit(state: ConnectionState): void;
  /** Completes the retrieval once (payload, outbox, event); false if it was already done. */
  complete(
    retrievalId: string,
    payload: Record<string, unknown>,
    attempt: number,
  ): Promise<boolean>;
}

/**
 * Performs one step of a claimed retrieval (DESIGN.md §4) and writes its outcome:
 * no RequestId → /Authorize; `authorizing` with a RequestId → first GetAccountsDetail;
 * `processing` → one GetAccountsDetailAsync poll. Past the deadline → `timed_out`.
 */
export async function runRetrievalStep(context: StepContext, row: RetrievalRow): Promise<void> {
  const { store, owner } = context;
  const write = async (patch: RetrievalPatch, keepLease = false) => {
    const state = await store.updateRetrieval(row.id, owner, patch, context.now(), { keepLease });
    if (state) context.emit(state);
    return state;
  };

  const started = context.now();
  if (started >= row.deadlineAt) {
    const last = parseError(row.lastError);
    await write({
      state: 'timed_out',
      nextRunAt: null,
      completedAt: started,
      lastError: {
        code: 'timed_out',
        message: 'Flinks did not deliver the accounts before the deadline; refresh to try again.',
        recoverable: true,
        ...(last?.flinksCode ? { flinksCode: last.flinksCode } : {}),
      },
    });
    return;
  }

  let attempt = row.attempt;
  try {
    if (row.requestId === null) {
      await authorize(context, row, write);
      return;
    }
    let result: FlinksResult;
    if (row.state === 'processing') {
      result = await context.flinks.getAccountsDetailAsync(row.requestId);
    } else {
      result = await context.flinks.getAccountsDetail(row.requestId, context.detail);
    }
    attempt += 1;
    if (result.type === 'data') {
      if (!Array.isArray(result.body.Accounts)) throw malformed('GetAccountsDetail');
      await context.complete(row.id, result.body, attempt);
      return;
    }
    await write({
      state: 'processing',
      attempt,
      failures: 0,
      lastError: null,
      nextRunAt: Math.min(context.now() + context.pollIntervalMs, row.deadlineAt),
    });
  } catch (error) {
    await onError(context, row, attempt, error, write);
  }
}

type Write = (patch: RetrievalPatch, keepLease?: boolean) => Promise<ConnectionState | null>;

async function authorize(context: StepContext, row: RetrievalRow, write: Write): Promise<void> {
  const current = await context.store.getConnection(row.connectionId);
  const loginIdEnc = current?.connection.loginIdEnc;
  if (!loginIdEnc) return; // deleted meanwhile: deleteConnection already failed the retrieval
  if (row.state !== 'authorizing') {
    if (!(await write({ state: 'authorizing' }, true))) return;
  }
  const result = await context.flinks.authorize({
    loginId: context.keyring.decrypt(loginIdEnc),
    mostRecentCached: true,
    ...(current.connection.tag ? { tag: current.connection.tag } : {}),
  });
  const requestId = result.type === 'data' ? result.body.RequestId : undefined;
  if (typeof requestId !== 'string' || requestId === '') throw malformed('Authorize');
  // Stored before any data call, so a restart continues with this RequestId, no new Authorize.
  await write({
    state: 'authorizing',
    requestId,
    failures: 0,
    lastError: null,
    nextRunAt: context.now(),
  });
}

async function onError(
  context: StepContext,
  row: RetrievalRow,
  attempt: number,
  error: unknown,
  write: Write,
) {
  const now = context.now();
  if (!FlinksApiError.isInstance(error) && !KeyMissingError.isInstance(error)) {
    context.logger.error({ retrievalId: row.id, error: errorName(error) }, 'retrieval step failed');
  }
  // The database, not Flinks, failed: nothing useful can be written now. The worker loop backs
  // off and the row is stepped again once the store is back (the Flinks call is repeated then).
  if (isStoreUnavailable(error)) throw error;
  if (KeyMissingError.isInstance(error)) {
    // Retrying cannot help until an operator adds the key back: fail now, clearly.
    context.logger.error(
      { retrievalId: row.id, event: 'encryption_key_missing', keyId: error.keyId },
      `retrieval failed: its loginId is encrypted with key id "${error.keyId}", which FLINKIT_ENCRYPTION_KEYS lacks`,
    );
    await write({
      state: 'failed',
      attempt,
      nextRunAt: null,
      completedAt: now,
      lastError: { code: error.code, message: error.message, recoverable: false },
    });
    return;
  }
  const flinks = FlinksApiError.isInstance(error) ? error : null;
  const info: ErrorInfo = flinks
    ? {
        code: 'flinks_error',
        message: flinks.message,
        recoverable: flinks.recoverable,
        ...(flinks.flinksCode ? { flinksCode: flinks.flinksCode } : {}),
      }
    : {
        code: 'internal_error',
        message: 'The retrieval hit an unexpected error; it will be retried.',
        recoverable: true,
      };

  if (flinks?.kind === 'terminal') {
    context.logger.info(
      { retrievalId: row.id, ...upstreamFailureFields(flinks) },
      `retrieval failed: ${upstreamFailureMessage(flinks)}`,
    );
    await write({ state: 'failed', attempt, nextRunAt: null, completedAt: now, lastError: info });
    return;
  }
  if (flinks?.kind === 'reauthorize') {
    const reauthorizations = row.reauthorizations + 1;
    if (reauthorizations > context.maxReauthorizations) {
      const message = 'Flinks kept ending the session; refresh to try again.';
      const lastError: ErrorInfo = {
        code: 'reauthorize_limit',
        message,
        recoverable: true,
        ...(flinks.flinksCode ? { flinksCode: flinks.flinksCode } : {}),
      };
      await write({
        state: 'failed',
        attempt,
        reauthorizations,
        nextRunAt: null,
        completedAt: now,
        lastError,
      });
      return;
    }
    await write({
      state: 'authorizing',
      requestId: null,
      attempt,
      reauthorizations,
      lastError: info,
      nextRunAt: now,
    });
    return;
  }
  const failures = row.failures + 1;
  const backoff = context.random() * Math.min(300_000, context.retryBaseMs * 2 ** (failures - 1));
  const delay = Math.max(flinks?.retryAfterMs ?? 0, backoff, 1);
  context.logger.warn(
    { retrievalId: row.id, failures, ...(flinks ? upstreamFailureFields(flinks) : {}) },
    flinks
      ? `retrieval step will be retried: ${upstreamFailureMessage(flinks)}`
      : 'retrieval step will be retried',
  );
  await write({
    attempt,
    failures,
    lastError: info,
    nextRunAt: Math.min(now + delay, row.deadlineAt),
  });
}

function malformed(endpoint: string): FlinksApiError {
  return new FlinksApiError({
    kind: 'transient',
    endpoint,
    flinksCode: null,
    httpStatus: 200,
    recoverable: true,
    reason: 'malformed',
    message: `Flinks ${endpoint} answered 200 without the expected fields; it will be retried.`,
  });
}

function parseError(text: string | null): ErrorInfo | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as ErrorInfo;
  } catch {
    return null;
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
