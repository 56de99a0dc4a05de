import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../base/logger';
import { openSqliteStore } from '../store/sqlite';
import { hasStatus, startEngineFixture } from '../test/engine-fixture';

const TERMINAL = hasStatus('ready', 'failed', 'timed_out');

/** Occurrences of `needle` not embedded in a longer base64url/hex run (so ciphertext cannot match by chance). */
function clearTextHits(haystack: string, needle: string): number {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (
    haystack.match(new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`, 'g'))?.length ?? 0
  );
}

function accountNumbers(payload: Record<string, unknown>): string[] {
  const accounts = payload.Accounts as Array<{ AccountNumber?: unknown }>;
  return accounts.flatMap((account) =>
    typeof account.AccountNumber === 'string' ? [account.AccountNumber] : [],
  );
}

describe('engine secrecy', () => {
  it('stores no loginId or account number in clear in the database file or its WAL', async () => {
    const fixture = await startEngineFixture({ processingMs: 0 });
    try {
      const loginId = fixture.sim.createLogin('greatday_nomfa');
      const { connection } = await fixture.engine.createConnection({ userId: 'user-1', loginId });
      await fixture.waitFor(connection.id, TERMINAL);
      const payload = (await fixture.engine.getPayload('user-1', connection.id))!.payload;
      const numbers = accountNumbers(payload);
      expect(numbers.length).toBeGreaterThan(0);
      // Sanity check of the search itself: the clear JSON does contain them.
      expect(clearTextHits(JSON.stringify(payload), numbers[0]!)).toBeGreaterThan(0);
      const bytes = ['', '-wal', '-shm']
        .map((suffix) => {
          try {
            return readFileSync(`${fixture.dbPath}${suffix}`).toString('latin1');
          } catch {
            return '';
          }
        })
        .join('\n');
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes.includes(loginId)).toBe(false);
      for (const number of numbers) expect(clearTextHits(bytes, number)).toBe(0);
    } finally {
      await fixture.dispose();
    }
  });

  it('never hands the logger a loginId, RequestId, token, key or account number', async () => {
    const lines: string[] = [];
    const record = (object: Record<string, unknown>, message?: string) => {
      lines.push(JSON.stringify({ object, message }));
    };
    const logger: Logger = { debug: record, info: record, warn: record, error: record };
    const fixture = await startEngineFixture(
      {
        processingMs: 60,
        faults: [{ endpoint: 'GetAccountsDetailAsync', kind: 'status', status: 503, times: 2 }],
      },
      {
        logger,
        pollTimeoutMs: 500,
        flinks: { maxRetries: 0 },
        deliver: async () => Promise.reject(new Error('host down')),
        deliveryRetryMaxMs: 20,
      },
    );
    try {
      const loginIds = ['greatday_nomfa', 'test_disabled_account', 'test_service_unavailable'].map(
        (user) => fixture.sim.createLogin(user),
      );
      const connections = await Promise.all(
        loginIds.map((loginId) => fixture.engine.createConnection({ userId: 'user-1', loginId })),
      );
      for (const { connection } of connections) await fixture.waitFor(connection.id, TERMINAL);
      const payload = (await fixture.engine.getPayload('user-1', connections[0]!.connection.id))!
        .payload;
      const secrets = [
        ...loginIds,
        ...fixture.sim
          .requests()
          .flatMap((request) => (request.requestId ? [request.requestId] : [])),
        ...accountNumbers(payload),
        fixture.sim.secretKey,
        fixture.sim.apiKey,
      ];
      expect(lines.length).toBeGreaterThan(0);
      const text = lines.join('\n');
      for (const secret of secrets) expect(text.includes(secret)).toBe(false);
    } finally {
      await fixture.dispose();
    }
  });

  it('releases every lease on stop()', async () => {
    const fixture = await startEngineFixture({}, { pollIntervalMs: 20 });
    try {
      const loginId = fixture.sim.createLogin('test_pending');
      const { connection } = await fixture.engine.createConnection({ userId: 'user-1', loginId });
      await fixture.waitFor(connection.id, (c) => c.status === 'processing' && c.attempt >= 3);
      await fixture.engine.stop();
      const store = await openSqliteStore(fixture.dbPath);
      const retrieval = await store.getRetrieval(connection.retrievalId);
      await store.close();
      expect(retrieval).toMatchObject({ state: 'processing', leaseOwner: null, leaseUntil: null });
    } finally {
      await fixture.dispose();
    }
  });
});
