// Shared contract cases (not shipped); see test-contract.ts.
import { describe, expect, it } from 'vitest';
import { type ContractTarget, type Json, useContract } from './test-contract.js';
import type { SimulatorOptions } from './types.js';

/** Flinks API contract: tokens and Authorize. */
export function describeAuthContract(
  label: string,
  start: (options: SimulatorOptions) => Promise<ContractTarget>,
) {
  describe(`Flinks API contract: tokens and Authorize (${label})`, () => {
    const ctx = useContract(start);
    const { open, url, call, token, authorize, detail } = ctx;

    it('mints a GUID token with the secret key, and refuses a wrong or missing one with the Flinks body', async () => {
      await open();
      const ok = await call('POST', 'GenerateAuthorizeToken', {
        'flinks-auth-key': ctx.target.secretKey,
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({
        HttpStatusCode: 200,
        Token: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      const unauthorized = {
        HttpStatusCode: 401,
        Message: 'You must provide a valid auth key',
        FlinksCode: 'UNAUTHORIZED',
      };
      for (const headers of [{ 'flinks-auth-key': 'wrong' }, {}]) {
        const refused = await call('POST', 'GenerateAuthorizeToken', headers);
        expect(refused.status).toBe(401);
        expect(refused.body).toEqual(unauthorized);
      }
    });

    it('answers 401 UNAUTHORIZED for a wrong customerId and 404 JSON for an unknown endpoint', async () => {
      await open();
      const response = await fetch(
        url('GenerateAuthorizeToken', '00000000-0000-0000-0000-000000000000'),
        {
          method: 'POST',
          headers: { 'flinks-auth-key': ctx.target.secretKey },
        },
      );
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        HttpStatusCode: 401,
        FlinksCode: 'UNAUTHORIZED',
      });
      const missing = await call('POST', 'GetNothing', { 'x-api-key': ctx.target.apiKey }, {});
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ HttpStatusCode: 404, FlinksCode: 'NOT_FOUND' });
    });

    it('authorizes a cached login with the documented 200 body', async () => {
      await open();
      const loginId = ctx.target.createLogin('greatday_nomfa');
      const { status, body } = await authorize(loginId);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        HttpStatusCode: 200,
        Institution: 'FlinksCapital',
        RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        Login: {
          Username: 'greatday_nomfa',
          IsScheduledRefresh: false,
          Type: 'Personal',
          Id: loginId,
        },
        Links: expect.arrayContaining([
          { rel: 'AccountsDetail', href: '/GetAccountsDetail', example: null },
        ]),
      });
      expect((body.Login as Json).LastRefresh).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    });

    it('accepts an authorize token once, and not after it expires', async () => {
      await open({ tokenTtlMs: 60_000 });
      const loginId = ctx.target.createLogin('greatday_nomfa');
      const once = await token();
      const first = await call(
        'POST',
        'Authorize',
        { 'flinks-auth-key': once },
        { LoginId: loginId, MostRecentCached: true },
      );
      expect(first.status).toBe(200);
      const reused = await call(
        'POST',
        'Authorize',
        { 'flinks-auth-key': once },
        { LoginId: loginId, MostRecentCached: true },
      );
      expect(reused.status).toBe(401);
      expect(reused.body).toMatchObject({ HttpStatusCode: 401, FlinksCode: 'UNAUTHORIZED' });
      const late = await token();
      ctx.clock.advance(60_000);
      const expired = await call(
        'POST',
        'Authorize',
        { 'flinks-auth-key': late },
        { LoginId: loginId, MostRecentCached: true },
      );
      expect(expired.status).toBe(401);
      expect(expired.body.FlinksCode).toBe('UNAUTHORIZED');
    });

    it('rejects unknown logins, a missing LoginId and bad JSON with exact error bodies', async () => {
      await open();
      const unknown = await authorize('11111111-2222-4333-8444-555555555555');
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual({
        HttpStatusCode: 401,
        FlinksCode: 'INVALID_LOGIN',
        Message: expect.stringContaining('11111111-2222-4333-8444-555555555555'),
      });
      const missing = await call(
        'POST',
        'Authorize',
        { 'flinks-auth-key': await token() },
        { MostRecentCached: true },
      );
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({
        HttpStatusCode: 400,
        FlinksCode: 'INVALID_REQUEST',
        Message: expect.any(String),
      });
      const garbled = await call(
        'POST',
        'Authorize',
        { 'flinks-auth-key': await token() },
        '{"LoginId":',
      );
      expect(garbled.status).toBe(400);
      expect(garbled.body.FlinksCode).toBe('INVALID_REQUEST');
    });

    it('answers DISABLED_LOGIN and RETRY_LATER for the Toolbox failure users', async () => {
      await open();
      const disabled = await authorize(ctx.target.createLogin('test_disabled_account'));
      expect(disabled.status).toBe(401);
      expect(disabled.body).toEqual({
        HttpStatusCode: 401,
        FlinksCode: 'DISABLED_LOGIN',
        Message: expect.any(String),
      });
      const later = await authorize(ctx.target.createLogin('test_service_unavailable'));
      expect(later.status).toBe(401);
      expect(later.body).toEqual({
        HttpStatusCode: 401,
        FlinksCode: 'RETRY_LATER',
        Message: expect.any(String),
      });
    });

    it('replays QUESTION_NOT_FOUND on a cached Authorize after an abandoned MFA, with a usable RequestId', async () => {
      await open({ processingMs: 0 });
      const loginId = ctx.target.createLogin('Greatday');
      const linkedAt = ctx.clock.now();
      ctx.clock.advance(3_600_000);
      const live = await authorize(loginId, { MostRecentCached: false });
      expect(live.status).toBe(203); // the customer never answers
      const cached = await authorize(loginId);
      expect(cached.status).toBe(401);
      expect(cached.body).toEqual({
        HttpStatusCode: 401,
        FlinksCode: 'QUESTION_NOT_FOUND',
        Message: expect.any(String),
        RequestId: expect.any(String),
        Login: expect.objectContaining({
          Id: loginId,
          LastRefresh: new Date(linkedAt).toISOString().slice(0, -1),
        }),
        Institution: 'FlinksCapital',
      });
      const data = await detail(cached.body.RequestId as string);
      expect(data.status).toBe(200);
      expect(data.body.Accounts).toHaveLength(3);
      expect((data.body.Login as Json).LastRefresh).toBe((cached.body.Login as Json).LastRefresh);
      // A login whose last refresh succeeded authorizes as usual.
      expect((await authorize(ctx.target.createLogin('greatday_nomfa'))).status).toBe(200);
    });

    it('signs a Toolbox user in with Username, Password and Institution (the direct API)', async () => {
      await open({ processingMs: 0 });
      const signIn = (extra: Record<string, unknown>) =>
        token().then((authKey) =>
          call(
            'POST',
            'Authorize',
            { 'flinks-auth-key': authKey },
            { Institution: 'FlinksCapital', Password: 'Everyday', Save: true, ...extra },
          ),
        );
      const ok = await signIn({ Username: 'greatday_nomfa', MostRecentCached: false });
      expect(ok.status).toBe(200);
      expect((ok.body.Login as Json).Id).toBe(ctx.target.createLogin('greatday_nomfa'));
      expect((await detail(ok.body.RequestId as string)).status).toBe(200);
      expect((await signIn({ Username: 'Greatday' })).status).toBe(203);
      const wrong = await signIn({ Username: 'greatday_nomfa', Password: 'nope' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.FlinksCode).toBe('INVALID_PASSWORD');
      expect((await signIn({ Username: 'alice' })).body.FlinksCode).toBe('INVALID_USERNAME');
    });

    it('authorizes Greatday cached, and challenges a live call until the right answer', async () => {
      await open({ processingMs: 0 });
      const loginId = ctx.target.createLogin('Greatday');
      expect((await authorize(loginId)).status).toBe(200);
      const live = await authorize(loginId, { MostRecentCached: false });
      expect(live.status).toBe(203);
      const [challenge] = live.body.SecurityChallenges as { Type: string; Prompt: string }[];
      expect(challenge?.Type).toBe('QuestionAndAnswer');
      const prompt = challenge?.Prompt ?? '';
      const requestId = live.body.RequestId as string;
      expect((await detail(requestId)).status).toBe(401);
      const answerFor: Record<string, string> = {
        born: 'Montreal',
        country: 'Canada',
        shape: 'Triangle',
      };
      const right = Object.entries(answerFor).find(([word]) => prompt.includes(word))?.[1] ?? '';
      const answer = (value: string) =>
        call(
          'POST',
          'Authorize',
          { 'flinks-auth-key': 'unused' },
          { RequestId: requestId, SecurityResponses: { [prompt]: [value] } },
        );
      // A fresh token per re-submit, as the single-use rule says.
      const wrong = await call(
        'POST',
        'Authorize',
        { 'flinks-auth-key': await token() },
        { RequestId: requestId, SecurityResponses: { [prompt]: ['Atlantis'] } },
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body.FlinksCode).toBe('INVALID_SECURITY_RESPONSE');
      expect((await answer(right)).status).toBe(401);
      const ok = await call(
        'POST',
        'Authorize',
        { 'flinks-auth-key': await token() },
        { RequestId: requestId, SecurityResponses: { [prompt]: [right] } },
      );
      expect(ok.status).toBe(200);
      expect(ok.body.RequestId).toBe(requestId);
      expect((await detail(requestId)).status).toBe(200);
    });
  });
}
