import type { ConnectionRow, ConnectionState, RetrievalRow } from './store';

// Every column of both rows, checked against the row types so a new column cannot be missed.
const CONNECTION_COLUMNS = Object.keys({
  id: true,
  userId: true,
  tag: true,
  loginIdEnc: true,
  loginIdHash: true,
  latestRetrievalId: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  deletedAt: true,
  accountIds: true,
} satisfies Record<keyof ConnectionRow, true>) as Array<keyof ConnectionRow>;
const RETRIEVAL_COLUMNS = Object.keys({
  id: true,
  connectionId: true,
  state: true,
  requestId: true,
  attempt: true,
  reauthorizations: true,
  failures: true,
  nextRunAt: true,
  deadlineAt: true,
  startedAt: true,
  completedAt: true,
  leaseOwner: true,
  leaseUntil: true,
  lastError: true,
  createdAt: true,
  updatedAt: true,
  stale: true,
  detailRequestedAt: true,
  lastRefresh: true,
  institution: true,
} satisfies Record<keyof RetrievalRow, true>) as Array<keyof RetrievalRow>;
/**
 * The select list of a connection joined with its latest retrieval. Both tables share column
 * names (id, createdAt…), so each column is named by its position.
 */
export const JOINED_COLUMNS = [
  ...CONNECTION_COLUMNS.map((column, index) => `connections.${column} as c${index}`),
  ...RETRIEVAL_COLUMNS.map((column, index) => `retrievals.${column} as r${index}`),
] as unknown as ['connections.id'];

/** The two rows of a {@link JOINED_COLUMNS} result row. */
export function splitJoined(row: Record<string, unknown>): ConnectionState {
  const connection: Record<string, unknown> = {};
  const retrieval: Record<string, unknown> = {};
  CONNECTION_COLUMNS.forEach((column, index) => {
    connection[column] = row[`c${index}`];
  });
  RETRIEVAL_COLUMNS.forEach((column, index) => {
    retrieval[column] = row[`r${index}`];
  });
  return {
    connection: connection as unknown as ConnectionRow,
    retrieval: retrieval as unknown as RetrievalRow,
  };
}
