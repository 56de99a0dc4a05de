import type { ErrorInfo } from '@flinkit/core/wire';
import { KeyMissingError } from '../base/crypto';
import type { FlinksResult } from '../flinks/client';
import { FlinksApiError, upstreamFailureFields, upstreamFailureMessage } from '../flinks/errors';
import type { RetrievalPatch, RetrievalRow } from '../store/store';
import { isStoreUnavailable } from '../store/store-errors';
import type { StepContext, Write } from './step-context';

/**
 * Writes what a GetAccountsDetail(Async) answer means: 200 completes the retrieval (once),
 * 202 schedules the next GetAccountsDetailAsync poll. `attempt` already counts this call.
 */
export async function recordResult(
  context: StepContext,
  row: RetrievalRow,
  attempt: number,
  result: FlinksResult,
  write: Write,
): Promise<void> {
  if (result.type === 'data') {
    if (!Array.isArray(result.body.Accounts)) throw malformed('GetAccountsDetail');
    await context.complete(row, result.body, attempt);
    return;
  }
  await write(nextPoll(context, row, attempt));
}

/** The patch of a retrieval that waits for its next GetAccountsDetailAsync poll. */
export function nextPoll(context: StepContext, row: RetrievalRow, attempt: number): RetrievalPatch {
  return {
    state: 'processing',
    attempt,
    failures: 0,
    lastError: null,
    nextRunAt: Math.min(context.now() + context.pollIntervalMs, row.deadlineAt),
  };
}

/**
 * Writes the outcome of a failed step: terminal codes fail the retrieval, `reauthorize` codes
 * drop the RequestId (a fresh Authorize follows, bounded), anything else backs off. `extra`
 * joins the backoff's patch.
 */
export async function onError(
  context: StepContext,
  row: RetrievalRow,
  attempt: number,
  error: unknown,
  write: Write,
  extra: RetrievalPatch = {},
): Promise<void> {
  const now = context.now();
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
  if (!FlinksApiError.isInstance(error)) {
    context.logger.error({ retrievalId: row.id, error: errorName(error) }, 'retrieval step failed');
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
    // A new RequestId comes with a new first GetAccountsDetail.
    await write({
      state: 'authorizing',
      requestId: null,
      detailRequestedAt: null,
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
    ...extra,
    attempt,
    failures,
    lastError: info,
    nextRunAt: Math.min(now + delay, row.deadlineAt),
  });
}

/** A 200 without the fields we need: transient, retried. */
export function malformed(endpoint: string): FlinksApiError {
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

/** The stored `ErrorInfo` JSON, or null. */
export function parseError(text: string | null): ErrorInfo | null {
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
