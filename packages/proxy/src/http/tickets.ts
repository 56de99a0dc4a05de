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
  /**
   * A stream's own reconnect (a native EventSource retrying the same URL with
   * `Last-Event-ID`): the user of a ticket already redeemed for `connectionId`, when its last
   * stream ended (or opened) less than the resume window ago; null otherwise. Optional: a store
   * without it refuses reconnects, and the client must get a new ticket.
   */
  resume?(ticket: string, connectionId: string): Promise<string | null>;
  /** The stream opened with a redeemed ticket ended: its resume window starts again now. */
  release?(ticket: string, connectionId: string): Promise<void>;
}

/** Options of {@link createMemoryTicketStore}. */
export interface MemoryTicketStoreOptions {
  /** Lifetime before first use; default 60 000 ms. */
  ttlMs?: number;
  /** How long after its stream ended a used ticket still reopens it; default 120 000 ms. */
  resumeWindowMs?: number;
  now?: () => number;
}

/** Default SSE ticket lifetime: 60 s. */
export const DEFAULT_TICKET_TTL_MS = 60_000;

/**
 * Default resume window of a used ticket: 2 min after its stream ended, long enough for a
 * browser's reconnect after a restart or a dropped connection, short enough that a ticket seen
 * later (a proxy's access log) opens nothing.
 */
export const DEFAULT_TICKET_RESUME_MS = 120_000;

/**
 * An in-memory {@link TicketStore}: single use, bound to user + connection, expiring; a used
 * ticket reopens its own stream within the resume window.
 */
export function createMemoryTicketStore(options: MemoryTicketStoreOptions = {}): TicketStore {
  const ttlMs = options.ttlMs ?? DEFAULT_TICKET_TTL_MS;
  const resumeMs = options.resumeWindowMs ?? DEFAULT_TICKET_RESUME_MS;
  const now = options.now ?? Date.now;
  const tickets = new Map<
    string,
    { userId: string; connectionId: string; expiresAt: number; used: boolean }
  >();

  function sweep(at: number): void {
    for (const [key, entry] of tickets) if (entry.expiresAt <= at) tickets.delete(key);
  }

  return {
    async issue(userId, connectionId) {
      const at = now();
      sweep(at);
      const ticket = randomBytes(24).toString('base64url');
      tickets.set(ticket, { userId, connectionId, expiresAt: at + ttlMs, used: false });
      return { ticket, expiresAt: new Date(at + ttlMs).toISOString() };
    },
    async redeem(ticket, connectionId) {
      const entry = tickets.get(ticket);
      if (entry?.used) return null; // only a reconnect (resume) may use it now
      tickets.delete(ticket);
      if (!entry || entry.expiresAt <= now() || entry.connectionId !== connectionId) return null;
      tickets.set(ticket, { ...entry, used: true, expiresAt: now() + resumeMs });
      return entry.userId;
    },
    async resume(ticket, connectionId) {
      const entry = tickets.get(ticket);
      if (!entry?.used || entry.expiresAt <= now() || entry.connectionId !== connectionId)
        return null;
      entry.expiresAt = now() + resumeMs;
      return entry.userId;
    },
    async release(ticket) {
      const entry = tickets.get(ticket);
      if (entry?.used) entry.expiresAt = now() + resumeMs;
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
  const resumeMs = options.resumeWindowMs ?? DEFAULT_TICKET_RESUME_MS;
  const now = options.now ?? Date.now;
  const hash = (ticket: string) => createHash('sha256').update(ticket).digest('base64url');
  // A used ticket is kept under another hash, so an unused one and a used one never mix.
  const usedHash = (ticket: string) => hash(`used:${ticket}`);
  const renew = async (ticket: string, connectionId: string) => {
    if (ticket === '' || ticket.length > 200) return null;
    const entry = await store.takeTicket(usedHash(ticket));
    if (!entry || entry.expiresAt <= now() || entry.connectionId !== connectionId) return null;
    await store.insertTicket({ ...entry, expiresAt: now() + resumeMs });
    return entry.userId;
  };
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
      await store.insertTicket({
        ...entry,
        ticketHash: usedHash(ticket),
        expiresAt: now() + resumeMs,
      });
      return entry.userId;
    },
    resume: renew,
    async release(ticket, connectionId) {
      await renew(ticket, connectionId);
    },
  };
}
