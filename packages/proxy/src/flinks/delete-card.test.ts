import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { BASE, mswFlinksClient, useMswServer } from '../test/flinks-msw';

// docs.flinks.com account-linking/delete-card: `Content-Type: application/json` is required and
// the answer is `{StatusCode, Message}`; a public client treats "Invalid LoginId" as not found.
const server = useMswServer();
const flinks = () => mswFlinksClient({ secretKey: 's', apiKey: 'k' });

describe('createFlinksClient deleteCard', () => {
  it('sends Content-Type: application/json and reads the {StatusCode, Message} answer', async () => {
    let contentType: string | null = null;
    server.use(
      http.delete(`${BASE}/DeleteCard/login-1`, ({ request }) => {
        contentType = request.headers.get('content-type');
        return HttpResponse.json({
          StatusCode: 200,
          Message: 'All of the information about LoginId login-1 has been removed',
        });
      }),
    );
    expect(await flinks().deleteCard('login-1')).toBe('deleted');
    expect(contentType).toBe('application/json');
  });

  it.each([
    [
      'a 200 saying Invalid LoginId',
      HttpResponse.json({ StatusCode: 200, Message: 'Invalid LoginId' }),
    ],
    [
      'INVALID_LOGIN',
      HttpResponse.json(
        { HttpStatusCode: 401, FlinksCode: 'INVALID_LOGIN', Message: 'unknown' },
        { status: 401 },
      ),
    ],
  ])('answers unknown for %s', async (_label, answer) => {
    server.use(http.delete(`${BASE}/DeleteCard/login-1`, () => answer));
    expect(await flinks().deleteCard('login-1')).toBe('unknown');
  });

  it('still fails on CARD_IN_USE (the login is being processed: try again later)', async () => {
    server.use(
      http.delete(`${BASE}/DeleteCard/login-1`, () =>
        HttpResponse.json({ FlinksCode: 'CARD_IN_USE' }, { status: 400 }),
      ),
    );
    await expect(flinks().deleteCard('login-1')).rejects.toMatchObject({
      flinksCode: 'CARD_IN_USE',
      recoverable: true,
    });
  });
});
