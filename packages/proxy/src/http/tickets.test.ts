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
