import type { Kysely } from 'kysely';
import type { Database, Executor } from './schema';

/** Most writes one transaction carries. */
const MAX_BATCH = 512;

/**
 * Runs `write` for every call made in the same turn of the event loop inside one transaction,
 * and resolves each call with its own result. A commit is the dearest part of a step's write
 * (a WAL append on SQLite, a flush to disk on PostgreSQL), so thousands of polls a second cost
 * tens of commits, not thousands. Each write keeps its own conditions (lease owner, state), so
 * batching changes nothing about which writes apply.
 *
 * When the batch's transaction fails (a deadlock, one bad row), every write of it is tried
 * again alone, so one failure stays that write's own.
 */
export function createWriteBatch<Input, Output>(
  db: Kysely<Database>,
  write: (executor: Executor, input: Input) => Promise<Output>,
): (input: Input) => Promise<Output> {
  interface Pending {
    input: Input;
    resolve(output: Output): void;
    reject(error: unknown): void;
  }
  let queue: Pending[] = [];
  let scheduled = false;

  const alone = (item: Pending) =>
    db
      .transaction()
      .execute((trx) => write(trx, item.input))
      .then(item.resolve, item.reject);

  async function run(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return alone(batch[0] as Pending);
    let outputs: Output[];
    try {
      outputs = await db.transaction().execute(async (trx) => {
        const results: Output[] = [];
        for (const item of batch) results.push(await write(trx, item.input));
        return results;
      });
    } catch {
      await Promise.all(batch.map(alone));
      return;
    }
    batch.forEach((item, index) => {
      item.resolve(outputs[index] as Output);
    });
  }

  function flush() {
    scheduled = false;
    const all = queue;
    queue = [];
    for (let start = 0; start < all.length; start += MAX_BATCH) {
      void run(all.slice(start, start + MAX_BATCH));
    }
  }

  return (input) =>
    new Promise<Output>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
