import type { Kysely, Transaction } from 'kysely';
import type {
  ConnectionRow,
  OutboxRow,
  PayloadRow,
  RateLimitWindow,
  RetrievalRow,
  TicketRow,
} from './store';

/** The tables as Kysely sees them (camelCase through `CamelCasePlugin`). */
export interface Database {
  connections: ConnectionRow;
  retrievals: RetrievalRow;
  payloads: PayloadRow;
  outbox: OutboxRow;
  rateLimits: RateLimitWindow & { key: string };
  sseTickets: TicketRow;
}

/** A Kysely handle or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
