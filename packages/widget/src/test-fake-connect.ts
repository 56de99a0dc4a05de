import type {
  AccountsResponse,
  Connection,
  FlinksConnect,
  FlinksConnectCallbacks,
  FlinksConnectOptions,
  FlinksConnectState,
} from '@flinkit/core';
import { initialState } from '@flinkit/core';
import { vi } from 'vitest';
import { createStore } from 'zustand/vanilla';

/** A `FlinksConnect` driven by hand: tests set the state and fire the callbacks. */
export interface FakeConnect extends FlinksConnect {
  set(patch: Partial<FlinksConnectState>): void;
  callbacks: FlinksConnectCallbacks;
  attached: HTMLIFrameElement | null;
  options: FlinksConnectOptions | null;
}

/** A fake with the given starting state; `start`, `retry`, `reset`, `destroy` are spies. */
export function createFakeConnect(state: Partial<FlinksConnectState> = {}): FakeConnect {
  const store = createStore<FlinksConnectState>(() => ({ ...initialState, ...state }));
  const fake: FakeConnect = {
    getState: store.getState,
    subscribe: store.subscribe,
    set: (patch) => store.setState(patch),
    callbacks: {},
    attached: null,
    options: null,
    attach: vi.fn((iframe: HTMLIFrameElement | null) => {
      fake.attached = iframe;
    }),
    start: vi.fn(async () => {}),
    retry: vi.fn(async () => {}),
    reset: vi.fn(),
    destroy: vi.fn(),
    setCallbacks: vi.fn((callbacks: FlinksConnectCallbacks) => {
      fake.callbacks = callbacks;
    }),
  };
  return fake;
}

/** A connection as the proxy reports it, with overrides. */
export function connection(patch: Partial<Connection> = {}): Connection {
  return {
    id: 'conn_1',
    status: 'processing',
    institution: 'FlinksCapital',
    tag: null,
    retrievalId: 'ret_1',
    attempt: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    nextPollAt: null,
    deadlineAt: '2026-01-01T00:30:00.000Z',
    completedAt: null,
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    error: null,
    lastRefresh: null,
    stale: null,
    ...patch,
  };
}

/** The proxy's summary of two accounts: one with a masked number and balances, one with neither. */
export const summary: AccountsResponse = {
  view: 'summary',
  connectionId: 'conn_1',
  institution: 'FlinksCapital',
  retrievedAt: '2026-01-01T00:01:00.000Z',
  accounts: [
    {
      id: 'a1',
      title: 'Chequing Account',
      type: 'Chequing',
      category: 'Operations',
      currency: 'CAD',
      maskedNumber: '•••1238',
      balance: { available: 5405.5, current: 5105.5, limit: null },
      transactionCount: 12,
    },
    {
      id: 'a2',
      title: 'Visa',
      type: 'CreditCard',
      category: 'Credits',
      currency: 'CAD',
      maskedNumber: null,
      balance: { available: null, current: null, limit: 1000 },
      transactionCount: 0,
    },
  ],
};
