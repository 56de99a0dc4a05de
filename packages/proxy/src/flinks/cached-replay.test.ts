import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { BASE, mswFlinksClient, useMswServer } from '../test/flinks-msw';

const server = useMswServer();
const flinks = () => mswFlinksClient({ maxRetries: 0 });

function authorizeAnswers(status: number, body: Record<string, unknown>) {
  server.use(
    http.post(`${BASE}/GenerateAuthorizeToken`, () => HttpResponse.json({ Token: 't' })),
    http.post(`${BASE}/Authorize`, () => HttpResponse.json(body, { status })),
  );
}

const REPLAYED = {
  HttpStatusCode: 401,
  FlinksCode: 'QUESTION_NOT_FOUND',
  Message: 'upstream text',
  RequestId: 'b9d1f6a2-1111-4222-8333-444455556666',
  Login: { Id: 'login', LastRefresh: '2025-01-31T12:00:00.000' },
};

describe('createFlinksClient cached Authorize', () => {
  it('returns a replayed refresh error with a RequestId as a stale result', async () => {
    authorizeAnswers(401, REPLAYED);
    const result = await flinks().authorize({ loginId: 'login', mostRecentCached: true });
    expect(result).toEqual({ type: 'stale', flinksCode: 'QUESTION_NOT_FOUND', body: REPLAYED });
  });

  it.each([
    ['a live Authorize', 401, REPLAYED, false],
    ['INVALID_LOGIN', 401, { ...REPLAYED, FlinksCode: 'INVALID_LOGIN' }, true],
    ['UNAUTHORIZED', 401, { ...REPLAYED, FlinksCode: 'UNAUTHORIZED' }, true],
    ['an error without a RequestId', 401, { ...REPLAYED, RequestId: undefined }, true],
    ['a 5xx', 503, { ...REPLAYED, FlinksCode: 'RETRY_LATER' }, true],
  ] as const)('keeps %s an error', async (_label, status, body, cached) => {
    authorizeAnswers(status, body);
    await expect(
      flinks().authorize({ loginId: 'login', mostRecentCached: cached }),
    ).rejects.toMatchObject({ code: 'flinks_error', httpStatus: status });
  });
});
