import type { Connection, ErrorInfo } from '@flinkit/core/wire';
import type { ConnectionState } from '../store/store';

/**
 * The wire `Connection` of a stored connection and its latest retrieval: no loginId, no
 * RequestId, no Flinks identifiers. `error` is set only once the retrieval failed or timed out;
 * `stale` as soon as a cached Authorize replayed an error (the data is still retrieved).
 */
export function toConnection({ connection, retrieval }: ConnectionState): Connection {
  const terminalError = retrieval.state === 'failed' || retrieval.state === 'timed_out';
  return {
    id: connection.id,
    status: retrieval.state,
    // Flinks' word only: what the browser's message claimed is never shown.
    institution: retrieval.institution,
    tag: connection.tag,
    retrievalId: retrieval.id,
    attempt: retrieval.attempt,
    startedAt: iso(retrieval.startedAt),
    nextPollAt:
      retrieval.state === 'processing' && retrieval.nextRunAt !== null
        ? iso(retrieval.nextRunAt)
        : null,
    deadlineAt: iso(retrieval.deadlineAt),
    completedAt: retrieval.completedAt === null ? null : iso(retrieval.completedAt),
    updatedAt: iso(Math.max(connection.updatedAt, retrieval.updatedAt)),
    version: connection.version,
    error: terminalError ? parseErrorInfo(retrieval.lastError) : null,
    lastRefresh: retrieval.lastRefresh,
    stale: retrieval.stale === null ? null : parseErrorInfo(retrieval.stale),
  };
}

function parseErrorInfo(text: string | null): ErrorInfo {
  const fallback: ErrorInfo = {
    code: 'timed_out',
    message: 'The retrieval did not finish; refresh to try again.',
    recoverable: true,
  };
  if (text === null) return fallback;
  try {
    const value = JSON.parse(text) as Partial<ErrorInfo>;
    if (typeof value.code !== 'string' || typeof value.message !== 'string') return fallback;
    return {
      code: value.code,
      message: value.message,
      recoverable: value.recoverable === true,
      ...(typeof value.flinksCode === 'string' ? { flinksCode: value.flinksCode } : {}),
    };
  } catch {
    return fallback;
  }
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
