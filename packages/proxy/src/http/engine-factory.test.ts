import { describe, expect, it } from 'vitest';
import type { AccountsDetailEvent } from '../base/forward-webhook';
import { createDeliver } from './engine-factory';

const DELIVERY: AccountsDetailEvent = {
  deliveryId: 'dlv_1',
  userId: 'alice',
  connectionId: 'conn_1',
  retrievalId: 'ret_1',
  payload: { Accounts: [] },
  completedAt: '2026-01-01T00:00:00.000Z',
};

describe('createDeliver', () => {
  it('hands each completion to onAccountsDetail', async () => {
    const seen: AccountsDetailEvent[] = [];
    const deliver = createDeliver({ onAccountsDetail: (event) => void seen.push(event) });
    await deliver?.(DELIVERY);
    expect(seen).toEqual([
      {
        userId: 'alice',
        connectionId: 'conn_1',
        retrievalId: 'ret_1',
        deliveryId: 'dlv_1',
        completedAt: DELIVERY.completedAt,
        payload: DELIVERY.payload,
      },
    ]);
  });

  it('rejects when the hook throws, so the outbox retries', async () => {
    const deliver = createDeliver({
      onAccountsDetail: () => {
        throw new Error('host database down');
      },
    });
    await expect(deliver?.(DELIVERY)).rejects.toThrow('host database down');
  });

  it('is undefined without a hook or a forward URL (store only)', () => {
    expect(createDeliver({})).toBeUndefined();
  });
});
