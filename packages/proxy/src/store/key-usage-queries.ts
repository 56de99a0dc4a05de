import { type Kysely, sql } from 'kysely';
import type { Database } from './schema';
import type { KeyUsage, KeyUsageStore } from './store';

/** `v1.<keyId>.` as a LIKE prefix, with the wildcard characters a key id may hold escaped. */
const prefix = (keyId: string) => `v1.${keyId.replace(/[\\%_]/g, (match) => `\\${match}`)}.%`;

/** Counts stored values (loginIds, payloads) by the key id they were encrypted with. */
export function createKeyUsageQueries(db: Kysely<Database>): KeyUsageStore {
  async function heads(
    table: 'connections' | 'payloads',
    column: 'login_id_enc' | 'data_enc',
    known: readonly string[],
  ): Promise<string[]> {
    // Only the head of each value is read (`v1.<keyId>.` fits in 40 characters), and only of
    // the values under none of the known keys: a payload can be megabytes.
    const filters = known.map(
      (keyId) => sql`${sql.ref(column)} NOT LIKE ${prefix(keyId)} ESCAPE '\\'`,
    );
    const rows = await sql<{ head: string }>`
      SELECT substr(${sql.ref(column)}, 1, 40) AS head FROM ${sql.table(table)}
      WHERE ${sql.ref(column)} IS NOT NULL
      ${filters.length > 0 ? sql`AND ${sql.join(filters, sql` AND `)}` : sql``}`.execute(db);
    return rows.rows.map((row) => row.head);
  }
  return {
    async unreadableByKey(known) {
      const usage = new Map<string, KeyUsage>();
      const count = (head: string, field: 'connections' | 'payloads') => {
        const keyId = /^v1\.([A-Za-z0-9_-]{1,32})\./.exec(head)?.[1] ?? '(unknown)';
        const entry = usage.get(keyId) ?? { keyId, connections: 0, payloads: 0 };
        entry[field] += 1;
        usage.set(keyId, entry);
      };
      for (const head of await heads('connections', 'login_id_enc', known))
        count(head, 'connections');
      for (const head of await heads('payloads', 'data_enc', known)) count(head, 'payloads');
      return [...usage.values()];
    },
  };
}
