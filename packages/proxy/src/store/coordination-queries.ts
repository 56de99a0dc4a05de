import type { Kysely } from 'kysely';
import type { Database } from './schema';
import type { CoordinationStore, Store } from './store';

type CoordinationQueries = CoordinationStore & Pick<Store, 'sweepCoordination'>;

/** Rate-limit windows and SSE tickets in the database, shared by every instance on it. */
export function createCoordinationQueries(db: Kysely<Database>): CoordinationQueries {
  return {
    consumeRateLimit: (key, windowMs, now) =>
      // One upsert: concurrent instances serialise on the row, so no attempt is lost.
      db
        .insertInto('rateLimits')
        .values({ key, windowStart: now, count: 1 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => {
            const over = eb('rateLimits.windowStart', '<=', now - windowMs);
            return {
              windowStart: eb
                .case()
                .when(over)
                .then(now)
                .else(eb.ref('rateLimits.windowStart'))
                .end(),
              count: eb
                .case()
                .when(over)
                .then(1)
                .else(eb('rateLimits.count', '+', 1))
                .end(),
            };
          }),
        )
        .returning(['windowStart', 'count'])
        .executeTakeFirstOrThrow()
        .then((row) => ({ windowStart: Number(row.windowStart), count: Number(row.count) })),

    async insertTicket(ticket) {
      await db.insertInto('sseTickets').values(ticket).execute();
    },

    takeTicket: async (ticketHash) =>
      (await db
        .deleteFrom('sseTickets')
        .where('ticketHash', '=', ticketHash)
        .returningAll()
        .executeTakeFirst()) ?? null,

    async sweepCoordination(now, staleBefore) {
      await db.deleteFrom('sseTickets').where('expiresAt', '<=', now).execute();
      await db.deleteFrom('rateLimits').where('windowStart', '<', staleBefore).execute();
    },
  };
}
