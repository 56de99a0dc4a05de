import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { createConnectApi } from './connect-api.js';
import { issueToken } from './logins.js';
import { createState } from './state.js';

function setup() {
  const state = createState({ clock: createManualClock(), processingMs: 0 });
  const api = createConnectApi(state);
  const call = (action: string, body: Record<string, unknown>) =>
    api.handle(action, JSON.stringify(body));
  const session = () =>
    call('session', { authorizeToken: issueToken(state), tag: 'T' }).body.sessionId as string;
  return { state, call, session };
}

describe('Connect iframe backend', () => {
  it('consumes the authorize token once and refuses a missing or reused one', () => {
    const { state, call } = setup();
    const token = issueToken(state);
    expect(call('session', { authorizeToken: token }).status).toBe(200);
    expect(call('session', { authorizeToken: token })).toMatchObject({
      status: 401,
      body: { error: 'TOKEN_INVALID' },
    });
    expect(call('session', {}).status).toBe(401);
  });

  it.each([
    ['nobody', 'Everyday', 'INVALID_USERNAME'],
    ['greatday_nomfa', 'wrong', 'INVALID_PASSWORD'],
    ['test_disabled_account', 'Everyday', 'DISABLED_LOGIN'],
    ['test_service_unavailable', 'Everyday', 'RETRY_LATER'],
  ])('answers %s / %s with %s', (username, password, flinksCode) => {
    const { call, session } = setup();
    const result = call('login', {
      sessionId: session(),
      institution: 'FlinksCapital',
      username,
      password,
    });
    expect(result.body).toEqual({ result: 'error', flinksCode, requestId: expect.any(String) });
  });

  it('links greatday_nomfa into a loginId the API knows, with the Connect tag', () => {
    const { state, call, session } = setup();
    const result = call('login', {
      sessionId: session(),
      institution: 'FlinksCapital',
      username: 'greatday_nomfa',
      password: 'Everyday',
    });
    expect(result.body).toMatchObject({
      result: 'success',
      institution: 'FlinksCapital',
      accounts: expect.any(Array),
    });
    const login = state.logins.get(result.body.loginId as string);
    expect(login).toMatchObject({ username: 'greatday_nomfa', tag: 'T' });
    expect(state.sessions.get(result.body.requestId as string)?.tag).toBe('T');
  });

  it('asks Greatday a question and links only after the right answer', () => {
    const { call, session } = setup();
    const sessionId = session();
    const challenge = call('login', {
      sessionId,
      institution: 'FlinksCapital',
      username: 'Greatday',
      password: 'Everyday',
    }).body;
    expect(challenge).toMatchObject({
      result: 'mfa',
      mfaTypes: ['QuestionAndAnswer'],
      prompt: expect.any(String),
    });
    const prompt = challenge.prompt as string;
    const right = prompt.includes('born')
      ? 'montreal'
      : prompt.includes('country')
        ? ' Canada '
        : 'TRIANGLE';
    expect(call('mfa', { sessionId, answer: 'Atlantis' }).body).toMatchObject({
      result: 'error',
      flinksCode: 'INVALID_SECURITY_RESPONSE',
      requestId: challenge.requestId,
    });
    expect(call('mfa', { sessionId, answer: right }).body).toMatchObject({ result: 'success' });
  });

  it('refuses calls without a live session', () => {
    const { call } = setup();
    expect(
      call('login', { sessionId: 'nope', username: 'greatday_nomfa', password: 'Everyday' }),
    ).toMatchObject({ status: 401, body: { error: 'SESSION_EXPIRED' } });
  });
});
