// Shared contract cases (not shipped); see test-contract.ts.
import { describe, expect, it } from 'vitest';
import { type ContractTarget, useContract } from './test-contract.js';
import type { SimulatorOptions } from './types.js';

/** Flinks API contract: faults. */
export function describeFaultContract(
  label: string,
  start: (options: SimulatorOptions) => Promise<ContractTarget>,
) {
  describe(`Flinks API contract: faults (${label})`, () => {
    const ctx = useContract(start);
    const { open, url, call, authorize, detail } = ctx;

    it('injects a 5xx, a 429 with Retry-After and malformed JSON, limited by times', async () => {
      await open({
        faults: [
          { endpoint: 'GenerateAuthorizeToken', kind: 'status', status: 503, times: 1 },
          { endpoint: 'Authorize', kind: 'rate-limit', retryAfterSeconds: 7, times: 1 },
          { endpoint: 'GetAccountsDetail', kind: 'malformed', times: 1 },
        ],
      });
      const failed = await call('POST', 'GenerateAuthorizeToken', {
        'flinks-auth-key': ctx.target.secretKey,
      });
      expect(failed.status).toBe(503);
      expect(failed.body).toMatchObject({
        HttpStatusCode: 503,
        FlinksCode: expect.any(String),
        Message: expect.any(String),
      });
      const loginId = ctx.target.createLogin('greatday_nomfa');
      const limited = await authorize(loginId);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(limited.body.FlinksCode).toBe('TOO_MANY_REQUESTS');
      const requestId = (await authorize(loginId)).body.RequestId as string;
      const raw = await fetch(url('GetAccountsDetail'), {
        method: 'POST',
        headers: { 'x-api-key': ctx.target.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ RequestId: requestId }),
      });
      const text = await raw.text();
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      expect((await detail(requestId)).status).toBe(202);
      expect(ctx.target.requests().map((entry) => entry.fault ?? null)).toEqual([
        'status',
        null,
        'rate-limit',
        null,
        null,
        'malformed',
        null,
      ]);
    });

    it('resets the connection so fetch rejects', async () => {
      await open({ faults: [{ kind: 'reset', times: 1 }] });
      await expect(
        fetch(url('GenerateAuthorizeToken'), {
          method: 'POST',
          headers: { 'flinks-auth-key': ctx.target.secretKey },
        }),
      ).rejects.toThrow();
      expect(
        (await call('POST', 'GenerateAuthorizeToken', { 'flinks-auth-key': ctx.target.secretKey }))
          .status,
      ).toBe(200);
      expect(ctx.target.requests()[0]).toMatchObject({ status: 0, fault: 'reset' });
    });

    it('draws fault rates from the seed, so the same seed fails the same calls', async () => {
      const pattern = async () => {
        await open({ seed: 7, faults: [{ kind: 'status', status: 500, rate: 0.5 }] });
        const statuses: number[] = [];
        for (let index = 0; index < 12; index++) {
          statuses.push(
            (
              await call('POST', 'GenerateAuthorizeToken', {
                'flinks-auth-key': ctx.target.secretKey,
              })
            ).status,
          );
        }
        await ctx.target.close();
        return statuses;
      };
      const first = await pattern();
      expect(first).toContain(500);
      expect(first).toContain(200);
      expect(await pattern()).toEqual(first);
    });
  });
}
