import type { Kysely } from 'kysely';
import type { RunPrepared } from './prepared';
import type { Database } from './schema';
import type { OutboxRow, RetrievalRow } from './store';
import { TERMINAL_STATES } from './store';

/**
 * The two kinds of row that one worker at a time works on: retrievals (stepped until terminal)
 * and outbox deliveries (tried until delivered). Each is due at a time column and held through
 * `leaseOwner`/`leaseUntil`.
 */
interface Leased {
  retrievals: RetrievalRow;
  outbox: OutboxRow;
}

const DUE = { retrievals: 'nextRunAt', outbox: 'nextAttemptAt' } as const;

/** Claim, renew, release and next-due queries on the leased rows of `table`. */
export interface LeaseQueries<Row> {
  /**
   * Leases up to `limit` due rows (unleased or lease expired) to `owner`, in one statement so
   * that concurrent claimers never get the same row.
   */
  claim(owner: string, now: number, limit: number, leaseMs: number): Promise<Row[]>;
  /** Extends a lease still held by `owner`; false when it was lost. */
  renew(id: string, owner: string, leaseUntil: number): Promise<boolean>;
  /** Drops `owner`'s lease without other changes. */
  release(id: string, owner: string): Promise<void>;
  /** The earliest due time of an unleased row; null when none is due ever again. */
  nextDueAt(): Promise<number | null>;
}

/**
 * The lease queries of `table`. A row is claimable while it is open: a retrieval that is not
 * terminal, a delivery not yet delivered. `lockClaims` adds `FOR UPDATE SKIP LOCKED`
 * (PostgreSQL); SQLite serialises writers on its own.
 */
export function createLeaseQueries<Table extends keyof Leased>(
  db: Kysely<Database>,
  table: Table,
  options: { lockClaims: boolean; prepared: RunPrepared },
): LeaseQueries<Leased[Table]> {
  // One row type for both tables, for the compiler only: each statement below names just the
  // columns its table has (`state` on retrievals, `deliveredAt` on the outbox).
  const rows = db as unknown as Kysely<{ leased: RetrievalRow & Pick<OutboxRow, 'deliveredAt'> }>;
  const name = table as unknown as 'leased';
  const due = DUE[table] as 'nextRunAt';
  return {
    claim: (owner, now, limit, leaseMs) =>
      options.prepared(
        db,
        `claim:${table}`,
        [now, limit, owner, now + leaseMs],
        ([at, max, by, until]) => {
          let candidates = rows
            .selectFrom(name)
            .select('id')
            .where(due, '<=', at)
            .where((eb) => eb.or([eb('leaseUntil', 'is', null), eb('leaseUntil', '<=', at)]))
            .orderBy(due)
            .limit(max);
          if (options.lockClaims) candidates = candidates.forUpdate().skipLocked();
          const claimed = rows
            .updateTable(name)
            .set({ leaseOwner: by, leaseUntil: until })
            .where('id', 'in', candidates)
            // Re-checked on the locked row, so a row claimed meanwhile is never claimed twice.
            .where((eb) => eb.or([eb('leaseUntil', 'is', null), eb('leaseUntil', '<=', at)]));
          return (
            table === 'retrievals'
              ? claimed.where('state', 'not in', TERMINAL_STATES as RetrievalRow['state'][])
              : claimed.where('deliveredAt', 'is', null)
          ).returningAll();
        },
      ) as Promise<unknown> as Promise<Leased[Table][]>,

    async renew(id, owner, leaseUntil) {
      const [row] = await options.prepared(db, `renew:${table}`, [id, owner, leaseUntil], (args) =>
        rows
          .updateTable(name)
          .set({ leaseUntil: args[2] })
          .where('id', '=', args[0])
          .where('leaseOwner', '=', args[1])
          .returning('id'),
      );
      return row !== undefined;
    },

    async release(id, owner) {
      await options.prepared(db, `release:${table}`, [id, owner], ([rowId, by]) =>
        rows
          .updateTable(name)
          .set({ leaseOwner: null, leaseUntil: null })
          .where('id', '=', rowId)
          .where('leaseOwner', '=', by)
          .returning('id'),
      );
    },

    async nextDueAt() {
      // Rows leased by another worker are found by the scheduler's periodic wake-up instead.
      const [row] = await options.prepared(db, `nextDueAt:${table}`, [] as const, () =>
        rows
          .selectFrom(name)
          .select(due)
          .where(due, 'is not', null)
          .where('leaseOwner', 'is', null)
          .orderBy(due)
          .limit(1),
      );
      return row?.[due] ?? null;
    },
  };
}
