import {
  type ApiRequest,
  type EndpointResult,
  flinksError,
  flinksTime,
  parseJsonObject,
  stringField,
} from './api-types.js';
import { consumeToken, createLogin, issueToken, refreshed } from './logins.js';
import { hashSeed, mulberry32, pick } from './random.js';
import {
  beginProcessing,
  findSession,
  type LoginRecord,
  type SessionRecord,
  type SimulatorState,
  startSession,
} from './state.js';
import {
  findInstitution,
  findQuestion,
  isCorrectAnswer,
  SECURITY_QUESTIONS,
  TOOLBOX,
  userBehaviour,
} from './toolbox.js';

const AUTH_KEY_MESSAGE = 'You must provide a valid auth key';

/** `POST /GenerateAuthorizeToken` with `flinks-auth-key: <secret>`. */
export function generateAuthorizeToken(state: SimulatorState, request: ApiRequest): EndpointResult {
  if (request.headers['flinks-auth-key'] !== state.config.secretKey) {
    return flinksError(401, 'UNAUTHORIZED', AUTH_KEY_MESSAGE);
  }
  return { status: 200, body: { HttpStatusCode: 200, Token: issueToken(state) } };
}

/** `POST /Authorize`: cached or live, with the MFA challenge of Greatday on live calls. */
export function authorize(state: SimulatorState, request: ApiRequest): EndpointResult {
  const token = request.headers['flinks-auth-key'];
  const body = parseJsonObject(request.body);
  const requestId = body ? stringField(body, 'RequestId') : undefined;
  if (body && requestId && body.SecurityResponses !== undefined) {
    return answerChallenge(state, token, requestId, body.SecurityResponses);
  }
  if (!consumeToken(state, token)) {
    return flinksError(
      401,
      'UNAUTHORIZED',
      `${AUTH_KEY_MESSAGE}: the authorize token is unknown, expired or already used. Generate a new one with /GenerateAuthorizeToken.`,
    );
  }
  const invalid = state.config.invalidRequestStatus;
  if (!body) {
    return flinksError(
      invalid,
      'INVALID_REQUEST',
      'The request body must be a JSON object such as {"LoginId":"…","MostRecentCached":true}.',
    );
  }
  // The direct-API sign-in (docs.flinks.com Authorize: Username, Password, Institution), as
  // `flinkit doctor --toolbox` uses with a Toolbox user; it is a live refresh.
  const signedIn = stringField(body, 'Username') ? signIn(state, body) : null;
  if (signedIn && !('id' in signedIn)) return signedIn;
  const loginId = signedIn?.id ?? stringField(body, 'LoginId');
  if (!loginId) {
    return flinksError(
      invalid,
      'INVALID_REQUEST',
      'LoginId is required: pass the loginId returned by Flinks Connect.',
    );
  }
  const login = state.logins.get(loginId);
  if (!login) {
    return flinksError(
      state.config.invalidLoginStatus,
      'INVALID_LOGIN',
      `LoginId ${loginId} is unknown for this customer: link the account again through Flinks Connect.`,
      { loginId },
    );
  }
  if (login.behaviour === 'disabled-login') {
    return flinksError(
      401,
      'DISABLED_LOGIN',
      'This login is disabled at the institution: the customer must fix it with their bank, then link again.',
      { loginId },
    );
  }
  if (login.behaviour === 'retry-later') {
    return flinksError(
      401,
      'RETRY_LATER',
      'The institution is unavailable right now: try again later.',
      { loginId },
    );
  }
  const tag = stringField(body, 'Tag') ?? login.tag;
  const cached = body.MostRecentCached === true && !signedIn;
  if (login.behaviour === 'mfa' && !cached) {
    // Until the challenge is answered this refresh is incomplete: cached calls replay it.
    login.lastRefreshError = 'QUESTION_NOT_FOUND';
    const random = mulberry32(hashSeed(state.config.seed, `${loginId}:${state.sessions.size}`));
    const question = pick(random, SECURITY_QUESTIONS);
    const session = startSession(state, login, {
      tag,
      challenge: { question, token: token ?? '' },
    });
    const prompt = stringField(body, 'Language') === 'fr' ? question.fr : question.en;
    return {
      status: 203,
      requestId: session.id,
      loginId,
      body: {
        HttpStatusCode: 203,
        Links: [{ rel: 'Authorization', href: '/Authorize', example: null }],
        SecurityChallenges: [{ Type: 'QuestionAndAnswer', Prompt: prompt }],
        Institution: login.institution,
        RequestId: session.id,
      },
    };
  }
  const session = startSession(state, login, { tag });
  if (cached && login.lastRefreshError) return replayedError(login, session);
  if (!cached) refreshed(state, login);
  return authorizedResult(login, session);
}

/** The login of `Username`/`Password`/`Institution` (any Toolbox user, password `Everyday`). */
function signIn(
  state: SimulatorState,
  body: Record<string, unknown>,
): LoginRecord | EndpointResult {
  const username = stringField(body, 'Username') ?? '';
  const institution = stringField(body, 'Institution') ?? 'FlinksCapital';
  if (!findInstitution(institution)) {
    return flinksError(401, 'DISABLED_INSTITUTION', `Institution ${institution} is not available.`);
  }
  if (!userBehaviour(username)) {
    return flinksError(401, 'INVALID_USERNAME', 'This username is unknown at the institution.');
  }
  if (body.Password !== TOOLBOX.password) {
    return flinksError(401, 'INVALID_PASSWORD', 'The password is incorrect.');
  }
  return createLogin(state, username, { institution });
}

/**
 * A cached Authorize repeats the outcome of the last refresh: after a failed one (e.g. an
 * abandoned MFA) it answers that error, with a RequestId that still reads the cached data
 * (help.flinks.com 43000761538 "Errors When Calling Authorize with Cached Mode").
 */
function replayedError(login: LoginRecord, session: SessionRecord): EndpointResult {
  const code = login.lastRefreshError ?? 'QUESTION_NOT_FOUND';
  return {
    status: 401,
    requestId: session.id,
    loginId: login.id,
    body: {
      HttpStatusCode: 401,
      FlinksCode: code,
      Message: `The last refresh of this login failed (${code}); the cached data is from its last successful refresh.`,
      RequestId: session.id,
      Login: loginBody(login),
      Institution: login.institution,
    },
  };
}

function answerChallenge(
  state: SimulatorState,
  token: string | undefined,
  requestId: string,
  responses: unknown,
): EndpointResult {
  const session = findSession(state, requestId);
  const login = session ? state.logins.get(session.loginId) : undefined;
  if (!session || !login) {
    return flinksError(
      400,
      'SESSION_NONEXISTENT',
      `RequestId ${requestId} is invalid or session has ended`,
      { requestId },
    );
  }
  // The MFA re-submit may reuse the token of the 203 call or bring a fresh one (both readings).
  const sameToken = token !== undefined && token === session.challenge?.token;
  if (!sameToken && !consumeToken(state, token)) {
    return flinksError(
      401,
      'UNAUTHORIZED',
      `${AUTH_KEY_MESSAGE}: the authorize token is unknown, expired or already used.`,
      { requestId },
    );
  }
  const context = { requestId, loginId: login.id };
  if (!session.challenge) return authorizedResult(login, session);
  const asked = session.challenge.question;
  const answers =
    typeof responses === 'object' && responses !== null && !Array.isArray(responses)
      ? Object.entries(responses as Record<string, unknown>)
      : [];
  const answer = answers.find(([prompt]) => findQuestion(prompt)?.key === asked.key)?.[1];
  const values = (Array.isArray(answer) ? answer : [answer]).filter(
    (value) => typeof value === 'string',
  );
  if (values.length === 0) {
    return flinksError(
      401,
      'SECURITYRESPONSES_INCOMPLETE',
      `Answer the security challenge "${asked.en}" in SecurityResponses.`,
      context,
    );
  }
  if (!values.some((value) => isCorrectAnswer(asked, value))) {
    return flinksError(
      401,
      'INVALID_SECURITY_RESPONSE',
      'The answer to the security challenge is wrong: ask the customer again.',
      context,
    );
  }
  beginProcessing(state, session);
  refreshed(state, login);
  return authorizedResult(login, session);
}

function authorizedResult(login: LoginRecord, session: SessionRecord): EndpointResult {
  const institution = findInstitution(login.institution);
  return {
    status: 200,
    requestId: session.id,
    loginId: login.id,
    body: {
      Links: [
        { rel: 'AccountsDetail', href: '/GetAccountsDetail', example: null },
        { rel: 'AccountsSummary', href: '/GetAccountsSummary', example: null },
        { rel: 'Statements', href: '/GetStatements', example: null },
      ],
      HttpStatusCode: 200,
      Login: loginBody(login),
      Institution: login.institution,
      InstitutionName: login.institution,
      InstitutionId: institution?.id ?? null,
      RequestId: session.id,
    },
  };
}

/** The `Login` object of Authorize and GetAccountsDetail answers. */
export function loginBody(login: LoginRecord): Record<string, unknown> {
  return {
    Username: login.username,
    IsScheduledRefresh: false,
    LastRefresh: flinksTime(login.lastRefreshAt),
    Type: 'Personal',
    Id: login.id,
  };
}
