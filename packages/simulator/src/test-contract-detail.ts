// Shared contract cases (not shipped); see test-contract.ts.
import { describe, expect, it } from 'vitest';
import { type ContractTarget, useContract } from './test-contract.js';
import type { SimulatorOptions } from './types.js';

/** Flinks API contract: GetAccountsDetail, DeleteCard and the log. */
export function describeDetailContract(
  label: string,
  start: (options: SimulatorOptions) => Promise<ContractTarget>,
) {
  describe(`Flinks API contract: GetAccountsDetail, DeleteCard and the log (${label})`, () => {
    const ctx = useContract(start);
    const { open, call, authorize, detail, detailAsync, requestIdFor } = ctx;
    // Waits (a deadline, no fixed sleep) until `count` requests are held.
    const untilHeld = async (count: number) => {
      const deadline = Date.now() + 5_000;
      while (ctx.target.heldRequests().length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} held requests`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    };

    it('answers 202 OPERATION_PENDING until processing time passes on the clock, then 200', async () => {
      await open({ processingMs: 5_000 });
      const requestId = await requestIdFor('greatday_nomfa');
      const first = await detail(requestId);
      expect(first.status).toBe(202);
      expect(first.body).toEqual({
        HttpStatusCode: 202,
        FlinksCode: 'OPERATION_PENDING',
        Message: 'Your operation is still processing',
        RequestId: requestId,
        Links: [
          {
            rel: 'GetAccountsDetailAsync',
            href: '/GetAccountsDetailAsync',
            example: `/GetAccountsDetailAsync/${requestId}`,
          },
        ],
      });
      expect((await detailAsync(requestId)).status).toBe(202);
      ctx.clock.advance(4_999);
      expect((await detailAsync(requestId)).status).toBe(202);
      ctx.clock.advance(1);
      const done = await detailAsync(requestId);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({
        HttpStatusCode: 200,
        RequestId: requestId,
        Institution: 'FlinksCapital',
      });
      expect(done.body.Accounts).toHaveLength(3);
      expect((await detailAsync(requestId, 'POST')).status).toBe(200);
      expect((await detail(requestId)).status).toBe(200);
    });

    it('answers 200 on the first call with processingMs 0, and finishes early on completeRequest', async () => {
      await open({ processingMs: 0 });
      expect((await detail(await requestIdFor('greatday_nomfa'))).status).toBe(200);
      await ctx.target.close();
      await open({ processingMs: 60_000 });
      const requestId = await requestIdFor('greatday_nomfa');
      expect((await detail(requestId)).status).toBe(202);
      ctx.target.completeRequest(requestId);
      expect((await detailAsync(requestId)).status).toBe(200);
    });

    it('holds test_dispatched 210 s, answers OPERATION_DISPATCHED, and keeps test_pending pending until the RequestId expires', async () => {
      await open({ processingMs: 1_000, requestIdTtlMs: 30 * 60_000 });
      const dispatched = await requestIdFor('test_dispatched');
      const first = detail(dispatched);
      await untilHeld(1);
      expect(ctx.target.heldRequests()).toEqual([
        {
          at: ctx.clock.now(),
          endpoint: 'GetAccountsDetail',
          requestId: dispatched,
          loginId: expect.any(String),
          until: ctx.clock.now() + 210_000,
        },
      ]);
      // A second call while the first is held gets OPERATION_PENDING at once.
      expect((await detail(dispatched)).body.FlinksCode).toBe('OPERATION_PENDING');
      ctx.clock.advance(210_000);
      const answered = await first;
      expect(answered.status).toBe(202);
      expect(answered.body.FlinksCode).toBe('OPERATION_DISPATCHED');
      expect(ctx.target.heldRequests()).toEqual([]);
      expect(ctx.target.requests().find((r) => r.heldMs !== undefined)).toMatchObject({
        endpoint: 'GetAccountsDetail',
        status: 202,
        flinksCode: 'OPERATION_DISPATCHED',
        heldMs: 210_000,
      });
      expect((await detailAsync(dispatched)).status).toBe(202);
      ctx.clock.advance(1_000);
      expect((await detailAsync(dispatched)).status).toBe(200);

      const pending = await requestIdFor('test_pending');
      expect((await detail(pending)).body.FlinksCode).toBe('OPERATION_PENDING');
      ctx.clock.advance(29 * 60_000);
      expect((await detailAsync(pending)).body.FlinksCode).toBe('OPERATION_PENDING');
      ctx.clock.advance(60_000);
      const gone = await detailAsync(pending);
      expect(gone.status).toBe(400);
      expect(gone.body).toEqual({
        HttpStatusCode: 400,
        FlinksCode: 'SESSION_NONEXISTENT',
        Message: `RequestId ${pending} is invalid or session has ended`,
      });
    });

    it('holds GetAccountsDetail for holdDetailMs on the clock, then 200 when processing is done', async () => {
      await open({ processingMs: 30_000, holdDetailMs: 60_000 });
      const requestId = await requestIdFor('greatday_nomfa');
      let settled = false;
      const held = detail(requestId).finally(() => {
        settled = true;
      });
      await untilHeld(1);
      // Polling the same RequestId meanwhile works and says it is processing.
      expect((await detailAsync(requestId)).body.FlinksCode).toBe('OPERATION_PENDING');
      ctx.clock.advance(59_999);
      expect(settled).toBe(false);
      ctx.clock.advance(1);
      const answered = await held;
      expect(answered.status).toBe(200);
      expect(answered.body.Accounts).toHaveLength(3);
    });

    it('answers the holdAnswer 202 when a hold ends before processing, and holds per login', async () => {
      await open({ processingMs: 90_000, holdAnswer: 'OPERATION_PENDING' });
      const loginId = ctx.target.createLogin('greatday_nomfa', { holdDetailMs: 5_000 });
      const { body } = await authorize(loginId);
      const held = detail(body.RequestId as string);
      await untilHeld(1);
      ctx.clock.advance(5_000);
      expect((await held).body).toMatchObject({
        HttpStatusCode: 202,
        FlinksCode: 'OPERATION_PENDING',
      });
      // Another login is not held.
      expect((await detail(await requestIdFor('test_pending'))).status).toBe(202);
    });

    it('answers SESSION_NONEXISTENT for an unknown RequestId and UNAUTHORIZED for a wrong x-api-key', async () => {
      await open();
      const unknown = await detail('nope');
      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual({
        HttpStatusCode: 400,
        FlinksCode: 'SESSION_NONEXISTENT',
        Message: 'RequestId nope is invalid or session has ended',
      });
      const requestId = await requestIdFor('greatday_nomfa');
      const refused = await call(
        'POST',
        'GetAccountsDetail',
        { 'x-api-key': 'wrong' },
        { RequestId: requestId },
      );
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({
        HttpStatusCode: 401,
        FlinksCode: 'UNAUTHORIZED',
        Message: expect.any(String),
      });
    });

    it('shapes the payload by WithAccountIdentity, WithKYC, WithTransactions, AccountsFilter and DaysOfTransactions', async () => {
      await open({ processingMs: 0 });
      const requestId = await requestIdFor('greatday_nomfa');
      type Account = Record<string, unknown> & { Id: string; Transactions?: { Date: string }[] };
      const accountsOf = async (extra: Record<string, unknown>) =>
        (await detail(requestId, extra)).body.Accounts as Account[];
      const full = await accountsOf({
        WithAccountIdentity: true,
        WithKYC: true,
        WithTransactions: true,
      });
      expect(full[0]).toMatchObject({
        TransitNumber: expect.stringMatching(/^\d{5}$/),
        InstitutionNumber: '777',
        AccountNumber: expect.stringMatching(/^\d{7}$/),
        Holder: { Address: { Country: 'CA' } },
      });
      const bare = await accountsOf({
        WithAccountIdentity: false,
        WithKYC: false,
        WithTransactions: false,
      });
      expect(bare[0]).not.toHaveProperty('AccountNumber');
      expect(bare[0]).not.toHaveProperty('Holder');
      expect(bare[0]).not.toHaveProperty('Transactions');
      const chosen = full[1]?.Id ?? '';
      expect((await accountsOf({ AccountsFilter: [chosen] })).map((account) => account.Id)).toEqual(
        [chosen],
      );
      const oldest = (accounts: Account[]) => accounts[0]?.Transactions?.at(-1)?.Date ?? '';
      const short = await accountsOf({ DaysOfTransactions: 'Days90' });
      const long = await accountsOf({ DaysOfTransactions: 'Days365' });
      expect(oldest(short) >= '2024-11-03').toBe(true);
      expect(oldest(long) < '2024-11-03').toBe(true);
      expect(oldest(long) >= '2024-02-01').toBe(true);
      expect(long[0]?.Transactions?.length ?? 0).toBeGreaterThan(
        short[0]?.Transactions?.length ?? 0,
      );
      // The Async answer reuses what the last GetAccountsDetail asked for.
      expect(
        ((await detailAsync(requestId)).body.Accounts as Account[])[0]?.Transactions?.at(-1)?.Date,
      ).toBe(oldest(long));
    });

    it('keeps running balances over HTTP and gives the same accounts for the same seed', async () => {
      type Row = { Debit: number | null; Credit: number | null; Balance: number };
      type Account = { Balance: { Current: number }; Transactions: Row[] };
      const cents = (value: number | null) => Math.round((value ?? 0) * 100);
      const accountsFor = async (seed: number) => {
        await open({ seed, processingMs: 0 });
        const requestId = await requestIdFor('greatday_nomfa');
        const accounts = (await detail(requestId, { DaysOfTransactions: 'Days365' })).body
          .Accounts as Account[];
        await ctx.target.close();
        return accounts;
      };
      const first = await accountsFor(11);
      for (const account of first) {
        const rows = account.Transactions;
        expect(cents(rows[0]?.Balance ?? null)).toBe(cents(account.Balance.Current));
        for (let index = 0; index + 1 < rows.length; index++) {
          const [row, older] = [rows[index] as Row, rows[index + 1] as Row];
          expect(cents(row.Balance) - cents(older.Balance)).toBe(
            cents(row.Credit) - cents(row.Debit),
          );
        }
      }
      expect(await accountsFor(11)).toEqual(first);
      expect(await accountsFor(12)).not.toEqual(first);
    });

    it('forgets a login after DeleteCard', async () => {
      await open();
      const loginId = ctx.target.createLogin('greatday_nomfa');
      const deleted = await call('DELETE', `DeleteCard/${loginId}`, {
        'x-api-key': ctx.target.apiKey,
      });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({
        StatusCode: 200,
        Message: `All of the information about LoginId ${loginId} has been removed`,
      });
      expect((await authorize(loginId)).body.FlinksCode).toBe('INVALID_LOGIN');
      const again = await call('DELETE', `DeleteCard/${loginId}`, {
        'x-api-key': ctx.target.apiKey,
      });
      expect(again.status).toBe(200);
      expect(again.body.Message).toContain('Invalid LoginId');
    });

    it('refuses DeleteCard without Content-Type, and with CARD_IN_USE while processing', async () => {
      await open({ processingMs: 10_000 });
      const loginId = ctx.target.createLogin('greatday_nomfa');
      const bare = await fetch(ctx.url(`DeleteCard/${loginId}`), {
        method: 'DELETE',
        headers: { 'x-api-key': ctx.target.apiKey },
      });
      expect(bare.status).toBe(400);
      expect(await bare.json()).toMatchObject({ FlinksCode: 'INVALID_REQUEST' });
      await authorize(loginId);
      const busy = await call('DELETE', `DeleteCard/${loginId}`, {
        'x-api-key': ctx.target.apiKey,
      });
      expect(busy.status).toBe(400);
      expect(busy.body.FlinksCode).toBe('CARD_IN_USE');
      ctx.clock.advance(10_000);
      const done = await call('DELETE', `DeleteCard/${loginId}`, {
        'x-api-key': ctx.target.apiKey,
      });
      expect(done.status).toBe(200);
    });

    it('labels every account Personal or Business in AccountType', async () => {
      await open({ processingMs: 0 });
      const { body } = await detail(await requestIdFor('greatday_nomfa'));
      const types = (body.Accounts as { AccountType: unknown }[]).map((a) => a.AccountType);
      expect(types).toHaveLength(3);
      for (const type of types) expect(['Personal', 'Business']).toContain(type);
    });

    it('gives a new RequestId on every Authorize, and expires one unused for 8 minutes', async () => {
      await open({ processingMs: 60 * 60_000 });
      const loginId = ctx.target.createLogin('greatday_nomfa');
      const first = (await authorize(loginId)).body.RequestId as string;
      const second = (await authorize(loginId)).body.RequestId as string;
      expect(second).not.toBe(first);
      ctx.clock.advance(8 * 60_000 - 1);
      expect((await detailAsync(first)).status).toBe(202); // used in time: processing starts
      ctx.clock.advance(1);
      expect((await detail(second)).body.FlinksCode).toBe('SESSION_NONEXISTENT');
      // Once data calls began, only the 30 minutes from Authorize count, however idle.
      ctx.clock.advance(20 * 60_000);
      expect((await detailAsync(first)).status).toBe(202);
      ctx.clock.advance(2 * 60_000);
      expect((await detailAsync(first)).body.FlinksCode).toBe('SESSION_NONEXISTENT');
    });

    it('logs every request with endpoint, ids, status and FlinksCode', async () => {
      await open({ processingMs: 10 });
      const loginId = ctx.target.createLogin('greatday_nomfa');
      const requestId = (await authorize(loginId)).body.RequestId as string;
      await detail(requestId);
      await detailAsync('unknown-id');
      expect(ctx.target.requests()).toEqual([
        {
          at: ctx.clock.now(),
          method: 'POST',
          endpoint: 'GenerateAuthorizeToken',
          requestId: null,
          loginId: null,
          status: 200,
          flinksCode: null,
        },
        {
          at: ctx.clock.now(),
          method: 'POST',
          endpoint: 'Authorize',
          requestId,
          loginId,
          status: 200,
          flinksCode: null,
        },
        {
          at: ctx.clock.now(),
          method: 'POST',
          endpoint: 'GetAccountsDetail',
          requestId,
          loginId,
          status: 202,
          flinksCode: 'OPERATION_PENDING',
        },
        {
          at: ctx.clock.now(),
          method: 'GET',
          endpoint: 'GetAccountsDetailAsync',
          requestId: 'unknown-id',
          loginId: null,
          status: 400,
          flinksCode: 'SESSION_NONEXISTENT',
        },
      ]);
    });
  });
}
