import { describe, expect, it } from 'vitest';
import { createMemoryTicketStore } from './tickets';

describe('createMemoryTicketStore', () => {
  it('redeems a ticket once, for its connection, before it expires', async () => {
    let now = 0;
    const store = createMemoryTicketStore({ ttlMs: 60_000, now: () => now });
    const first = await store.issue('alice', 'conn_1');
    expect(await store.redeem(first.ticket, 'conn_1')).toBe('alice');
    expect(await store.redeem(first.ticket, 'conn_1')).toBeNull();
    const second = await store.issue('alice', 'conn_1');
    expect(await store.redeem(second.ticket, 'conn_2')).toBeNull();
    expect(await store.redeem(second.ticket, 'conn_1')).toBeNull();
    const third = await store.issue('alice', 'conn_1');
    now = 60_000;
    expect(await store.redeem(third.ticket, 'conn_1')).toBeNull();
  });
});

describe('ticket resume (an EventSource reconnecting with its used ticket)', () => {
  it('resumes only a redeemed ticket, for its connection, within the window after its stream ended', async () => {
    let now = 0;
    const store = createMemoryTicketStore({
      ttlMs: 60_000,
      resumeWindowMs: 120_000,
      now: () => now,
    });
    const { ticket } = await store.issue('alice', 'conn_1');
    expect(await store.resume?.(ticket, 'conn_1')).toBeNull(); // never used: redeem first
    expect(await store.redeem(ticket, 'conn_1')).toBe('alice');
    expect(await store.redeem(ticket, 'conn_1')).toBeNull(); // still single-use for a first open
    expect(await store.resume?.(ticket, 'conn_2')).toBeNull();
    now = 100_000;
    expect(await store.resume?.(ticket, 'conn_1')).toBe('alice');
    now = 500_000; // the stream stayed open long past the window, then dropped
    await store.release?.(ticket, 'conn_1');
    now = 600_000;
    expect(await store.resume?.(ticket, 'conn_1')).toBe('alice');
    now = 800_000;
    expect(await store.resume?.(ticket, 'conn_1')).toBeNull();
  });
});
