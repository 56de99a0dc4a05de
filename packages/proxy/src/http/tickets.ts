import { createHash, randomBytes } from 'node:crypto';
import type { CoordinationStore } from '../store/store';

/** A one-time credential for the SSE stream of one connection. */
export interface Ticket {
  ticket: string;
  expiresAt: string;
}

/**
 * Where SSE tickets live. In memory by default (one process); a shared implementation
 * (database, Redis) lets any instance redeem a ticket another one issued.
 */
export interface TicketStore {
  /** A new ticket for `userId` watching `connectionId`. */
  issue(userId: string, connectionId: string): Promise<Ticket>;
  /**
   * The user the ticket was issued to when it is unexpired, unused and for `connectionId`;
   * null otherwise. A ticket is consumed by the first redeem attempt, whatever its outcome.
   */
  redeem(ticket: string, connectionId: string): Promise<string | null>;
}

/** Options of {@link createMemoryTicketStore}. */
export interface MemoryTicketStoreOptions {
  /** Lifetime; default 60 000 ms. */
  ttlMs?: number;
  now?: () => number;
}

/** Default SSE ticket lifetime: 60 s. */
export const DEFAULT_TICKET_TTL_MS = 60_000;

/** An in-memory {@link TicketStore}: single use, bound to user + connection, expiring. */
export function createMemoryTicketStore(options: MemoryTicketStoreOptions = {}): TicketStore {
  const ttlMs = options.ttlMs ?? DEFAULT_TICKET_TTL_MS;
  const now = options.now ?? Date.now;
  const tickets = new Map<string, { userId: string; connectionId: string; expiresAt: number }>();

  function sweep(at: number): void {
    for (const [key, entry] of tickets) if (entry.expiresAt <= at) tickets.delete(key);
  }

  return {
    async issue(userId, connectionId) {
      const at = now();
      sweep(at);
      const ticket = randomBytes(24).toString('base64url');
      tickets.set(ticket, { userId, connectionId, expiresAt: at + ttlMs });
      return { ticket, expiresAt: new Date(at + ttlMs).toISOString() };
    },
    async redeem(ticket, connectionId) {
      const entry = tickets.get(ticket);
      tickets.delete(ticket);
      if (!entry || entry.expiresAt <= now() || entry.connectionId !== connectionId) return null;
      return entry.userId;
    },
  };
}

/**
 * A {@link TicketStore} in the database (`sse_tickets`): any instance redeems a ticket another
 * one issued, once. Only the SHA-256 of a ticket is stored.
 */
export function createStoreTicketStore(
  store: Pick<CoordinationStore, 'insertTicket' | 'takeTicket'>,
  options: MemoryTicketStoreOptions = {},
): TicketStore {
  const ttlMs = options.ttlMs ?? DEFAULT_TICKET_TTL_MS;
  const now = options.now ?? Date.now;
  const hash = (ticket: string) => createHash('sha256').update(ticket).digest('base64url');
  return {
    async issue(userId, connectionId) {
      const expiresAt = now() + ttlMs;
      const ticket = randomBytes(24).toString('base64url');
      await store.insertTicket({ ticketHash: hash(ticket), userId, connectionId, expiresAt });
      return { ticket, expiresAt: new Date(expiresAt).toISOString() };
    },
    async redeem(ticket, connectionId) {
      if (ticket === '' || ticket.length > 200) return null;
      const entry = await store.takeTicket(hash(ticket));
      if (!entry || entry.expiresAt <= now() || entry.connectionId !== connectionId) return null;
      return entry.userId;
    },
  };
}
