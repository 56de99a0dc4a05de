import type { RetrievalPatch, RetrievalRow } from '../store/store';
import { firstDetail } from './detail-step';
import { institutionOf, lastRefreshOf, staleInfo } from './flinks-payload';
import type { StepContext, Write } from './step-context';
import { malformed, onError, parseError, recordResult } from './step-outcome';

export type { StepContext } from './step-context';

/**
 * Performs one step of a claimed retrieval (apps/docs/architecture.md#retrieval-engine) and writes
 * its outcome: no RequestId → /Authorize; a RequestId whose first GetAccountsDetail is not sent yet
 * → that POST (held outside the step limit, see `detail-step.ts`); otherwise → one
 * GetAccountsDetailAsync poll. Past the deadline → `timed_out`.
 */
export async function runRetrievalStep(context: StepContext, row: RetrievalRow): Promise<void> {
  const { store, owner } = context;
  const write: Write = async (patch: RetrievalPatch, keepLease = false) => {
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

  try {
    if (row.requestId === null) {
      await authorize(context, row, write);
      return;
    }
    if (row.state !== 'processing' && row.detailRequestedAt === null) {
      await firstDetail(context, row, write);
      return;
    }
    const result = await context.flinks.getAccountsDetailAsync(row.requestId);
    await recordResult(context, row, row.attempt + 1, result, write);
  } catch (error) {
    await onError(context, row, row.attempt, error, write);
  }
}

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
  const requestId = result.type === 'pending' ? undefined : result.body.RequestId;
  if (typeof requestId !== 'string' || requestId === '') throw malformed('Authorize');
  // A replayed refresh error still reads the cached data: go on, and say it is stale.
  const stale = result.type === 'stale' ? staleInfo(result.flinksCode) : null;
  if (stale) {
    context.logger.info(
      { retrievalId: row.id, flinksCode: stale.flinksCode },
      'cached Authorize replayed an error; retrieving the cached data',
    );
  }
  const lastRefresh = lastRefreshOf(result.body);
  const institution = institutionOf(result.body);
  // Stored before any data call, so a restart continues with this RequestId, no new Authorize.
  await write({
    state: 'authorizing',
    requestId,
    detailRequestedAt: null,
    stale,
    ...(lastRefresh ? { lastRefresh } : {}),
    ...(institution ? { institution } : {}),
    failures: 0,
    lastError: null,
    nextRunAt: context.now(),
  });
}
