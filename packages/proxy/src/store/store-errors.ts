/**
 * True when `error` says the database cannot serve writes or answer right now — SQLite read-only
 * or full, locked past its busy timeout, an I/O error; PostgreSQL gone, restarting, out of disk,
 * or in read-only mode — rather than that a query is wrong. Callers answer 503
 * `store_unavailable` and back off.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^SQLITE_(READONLY|FULL|BUSY|LOCKED|IOERR|CANTOPEN|PROTOCOL|NOLFS)/.test(code)) return true;
    // PostgreSQL SQLSTATE: connection exceptions, shutdowns, insufficient resources, read-only.
    if (/^(08...|57P0[123]|53...|25006)$/.test(code)) return true;
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH)$/.test(code))
      return true;
  }
  const message = error instanceof Error ? error.message : '';
  // node-postgres reports a dropped or unobtainable connection without a code.
  return /Connection terminated|connection error|timeout exceeded when trying to connect|Client was closed/i.test(
    message,
  );
}
