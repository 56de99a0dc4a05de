import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { BASE, mswFlinksClient, useMswServer } from '../test/flinks-msw';
import { FlinksApiError } from './errors';

// GetAccountsDetail may be held up to 210 s by Flinks (help.flinks.com 43000436113): it has its
// own timeout, and a request that may have reached Flinks is never sent twice.
const server = useMswServer();
const client = mswFlinksClient;

async function caught(promise: Promise<unknown>): Promise<FlinksApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!FlinksApiError.isInstance(error)) throw new Error(`expected a FlinksApiError: ${error}`);
  return error;
}

describe('createFlinksClient GetAccountsDetail', () => {
  it('waits for a held GetAccountsDetail past the other calls’ timeout (detailTimeoutMs)', async () => {
    server.use(
      http.post(`${BASE}/GetAccountsDetail`, async () => {
        await delay(150);
        return HttpResponse.json(
          { HttpStatusCode: 202, FlinksCode: 'OPERATION_DISPATCHED' },
          {
            status: 202,
          },
        );
      }),
      http.get(`${BASE}/GetAccountsDetailAsync/req-1`, async () => {
        await delay(150);
        return HttpResponse.json({ Accounts: [] });
      }),
    );
    const flinks = client({ timeoutMs: 50, detailTimeoutMs: 5_000, maxRetries: 0 });
    expect(await flinks.getAccountsDetail('req-1')).toMatchObject({
      type: 'pending',
      flinksCode: 'OPERATION_DISPATCHED',
    });
    // The short timeout still applies to the other calls.
    const error = await caught(flinks.getAccountsDetailAsync('req-1'));
    expect(error.message).toContain('within 50 ms');
  });

  it('does not POST again after a timeout: the error says the request was sent', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/GetAccountsDetail`, async () => {
        calls++;
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const error = await caught(
      client({ detailTimeoutMs: 30, maxRetries: 2 }).getAccountsDetail('req-1'),
    );
    expect(error).toMatchObject({ kind: 'transient', httpStatus: null, requestSent: true });
    expect(error.message).toContain('within 30 ms');
    expect(calls).toBe(1);
  });

  it('does not POST again after a dropped connection', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/GetAccountsDetail`, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    const error = await caught(client({ maxRetries: 2 }).getAccountsDetail('req-1'));
    expect(error).toMatchObject({ httpStatus: null, requestSent: true });
    expect(calls).toBe(1);
  });

  it('retries a POST that never left (connection refused), and 5xx answers', async () => {
    const attempts: string[] = [];
    const refusedOnce: typeof fetch = async (input, init) => {
      attempts.push(String(input));
      if (attempts.length === 1) {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
        });
      }
      if (attempts.length === 2) return new Response('{}', { status: 503 });
      return fetch(input, init);
    };
    server.use(http.post(`${BASE}/GetAccountsDetail`, () => HttpResponse.json({ Accounts: [] })));
    const result = await client({ fetch: refusedOnce, maxRetries: 2 }).getAccountsDetail('req-1');
    expect(result.type).toBe('data');
    expect(attempts).toHaveLength(3);
  });

  it('abandons a held POST on its signal, without waiting for the timeout', async () => {
    server.use(
      http.post(`${BASE}/GetAccountsDetail`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const pending = caught(
      client({ detailTimeoutMs: 60_000 }).getAccountsDetail(
        'req-1',
        {},
        {
          signal: controller.signal,
        },
      ),
    );
    controller.abort();
    const error = await pending;
    expect(error.message).toContain('abandoned');
    expect(error.httpStatus).toBeNull();
  });
});
