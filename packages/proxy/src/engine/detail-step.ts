import { FlinksApiError } from '../flinks/errors';
import type { RetrievalRow } from '../store/store';
import { accountIdsOf } from './flinks-payload';
import type { StepContext, Write } from './step-context';
import { nextPoll, onError, recordResult } from './step-outcome';

/**
 * The first GetAccountsDetail of a RequestId. Flinks may hold it up to 210 s before it
 * answers (help.flinks.com 43000436113 "Timeout Lengths"), so it is sent once and waited for
 * outside the step limit (`context.held`):
 * - `detailRequestedAt` is written before sending, so after a crash the next owner polls
 *   GetAccountsDetailAsync on the same RequestId and never POSTs it again;
 * - 200 completes, 202 (`OPERATION_PENDING`/`OPERATION_DISPATCHED`) polls Async next;
 * - a timeout or a dropped connection polls Async next: Flinks may be working on it;
 * - `SESSION_NONEXISTENT` re-authorizes; any other answer backs off and may POST again.
 */
export async function firstDetail(
  context: StepContext,
  row: RetrievalRow,
  write: Write,
): Promise<void> {
  const requestId = row.requestId;
  if (requestId === null) return;
  const owner = await context.store.getConnection(row.connectionId);
  if (!owner) return; // deleted meanwhile: deleteConnection already failed the retrieval
  // Without AccountsFilter Flinks returns every account, chosen or not (help.flinks.com
  // 43000436137 "Account Selector + Accounts Filtering").
  const accountsFilter = accountIdsOf(owner.connection);
  const detail = accountsFilter ? { ...context.detail, accountsFilter } : context.detail;
  if (!(await write({ detailRequestedAt: context.now() }, true))) return;
  const attempt = row.attempt + 1;
  await context.held.run(row.id, async (signal) => {
    let result: Awaited<ReturnType<typeof context.flinks.getAccountsDetail>>;
    try {
      result = await context.flinks.getAccountsDetail(requestId, detail, { signal });
    } catch (error) {
      if (signal.aborted) throw error;
      if (FlinksApiError.isInstance(error) && error.httpStatus === null && error.requestSent) {
        await write(nextPoll(context, row, attempt));
        return;
      }
      // Flinks answered (or nothing left): no job runs upstream, so a later step may POST.
      await onError(context, row, row.attempt, error, write, { detailRequestedAt: null });
      return;
    }
    try {
      await recordResult(context, row, attempt, result, write);
    } catch (error) {
      await onError(context, row, attempt, error, write);
    }
  });
}
