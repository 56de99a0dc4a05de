import {
  type ApiRequest,
  type EndpointResult,
  flinksError,
  parseJsonObject,
  stringField,
} from './api-types.js';
import { buildAccountsPayload, parseDetailQuery } from './payload.js';
import {
  deleteLogin,
  findSession,
  finishSession,
  isExpired,
  type LoginRecord,
  type SessionRecord,
  type SimulatorState,
  scheduleReady,
} from './state.js';

const API_KEY_MESSAGE = 'You must provide a valid x-api-key header';

function hasApiKey(state: SimulatorState, request: ApiRequest): boolean {
  return request.headers['x-api-key'] === state.config.apiKey;
}

/**
 * `POST /GetAccountsDetail`: 200 when processing is done, else 202 `OPERATION_PENDING`. With a
 * hold (`holdDetailMs`, or test_dispatched's first call) the connection stays open on the clock
 * first — Flinks answers a synchronous call within 210 s, then 202 `OPERATION_DISPATCHED`
 * (help.flinks.com 43000436113 "Timeout Lengths"; docs.flinks.com /api/authorize/error-codes).
 */
export function getAccountsDetail(state: SimulatorState, request: ApiRequest): EndpointResult {
  if (!hasApiKey(state, request)) return flinksError(401, 'UNAUTHORIZED', API_KEY_MESSAGE);
  const body = parseJsonObject(request.body);
  const requestId = body ? stringField(body, 'RequestId') : undefined;
  if (!body || !requestId) {
    return flinksError(
      state.config.invalidRequestStatus,
      'INVALID_REQUEST',
      'RequestId is required: pass the RequestId returned by /Authorize in a JSON body.',
    );
  }
  return detail(state, requestId, body);
}

/** `GET|POST /GetAccountsDetailAsync/{requestId}`: 202 while processing, then 200. */
export function getAccountsDetailAsync(
  state: SimulatorState,
  request: ApiRequest,
  requestId: string | undefined,
): EndpointResult {
  if (!hasApiKey(state, request)) return flinksError(401, 'UNAUTHORIZED', API_KEY_MESSAGE);
  if (!requestId) {
    return flinksError(
      state.config.invalidRequestStatus,
      'INVALID_REQUEST',
      'Put the RequestId in the path: /GetAccountsDetailAsync/{RequestId}.',
    );
  }
  return detail(state, requestId, null);
}

const PENDING_MESSAGE = 'Your operation is still processing';
const DISPATCHED_MESSAGE =
  'Your operations had been dispatched to background process for long running jobs';

function detail(
  state: SimulatorState,
  requestId: string,
  post: Record<string, unknown> | null,
): EndpointResult {
  const session = findSession(state, requestId);
  const login = session ? state.logins.get(session.loginId) : undefined;
  if (!session || !login) return sessionNonexistent(requestId);
  if (session.challenge) {
    return flinksError(
      401,
      'UNAUTHORIZED',
      `RequestId ${requestId} waits for its security challenge: answer it with /Authorize first.`,
      { requestId, loginId: login.id },
    );
  }
  session.firstDataAt ??= state.clock.now();
  if (!post) return answer(state, session, login, 'OPERATION_PENDING');
  // A second call while the first one runs: "two different calls to the same account"
  // (help.flinks.com 43000436143 "Async Flow in Cached Mode").
  if (session.heldUntil !== null) {
    return pending(requestId, 'OPERATION_PENDING', PENDING_MESSAGE, login.id);
  }
  session.query = parseDetailQuery(post);
  const now = state.clock.now();
  const first = session.detailPostedAt === null;
  session.detailPostedAt ??= now;
  const { syncWindowMs, processingMs } = state.config;
  if (login.behaviour === 'dispatched' && first) {
    // A live request that outlasts the synchronous window is moved to a background job.
    const until = now + syncWindowMs;
    scheduleReady(state, session, until + processingMs);
    return hold(state, session, until, () =>
      pending(requestId, 'OPERATION_DISPATCHED', DISPATCHED_MESSAGE, login.id),
    );
  }
  const holdMs = Math.min(login.holdDetailMs ?? state.config.holdDetailMs, syncWindowMs);
  if (holdMs <= 0) return answer(state, session, login, 'OPERATION_PENDING');
  return hold(state, session, now + holdMs, () =>
    answer(state, session, login, state.config.holdAnswer),
  );
}

/** 200 with the payload once processing is done; else 202 `pendingCode`. */
function answer(
  state: SimulatorState,
  session: SessionRecord,
  login: LoginRecord,
  pendingCode: 'OPERATION_PENDING' | 'OPERATION_DISPATCHED',
): EndpointResult {
  // The session may have ended during a hold (DeleteCard, expiry).
  if (state.sessions.get(session.id) !== session || !state.logins.has(login.id)) {
    return sessionNonexistent(session.id);
  }
  if (session.readyAt === null || state.clock.now() < session.readyAt) {
    const message = pendingCode === 'OPERATION_PENDING' ? PENDING_MESSAGE : DISPATCHED_MESSAGE;
    return pending(session.id, pendingCode, message, login.id);
  }
  finishSession(state, session.id);
  return {
    status: 200,
    body: buildAccountsPayload(state, session),
    requestId: session.id,
    loginId: login.id,
  };
}

/** Keeps the request open until the clock reaches `until`, then answers `then()`. */
function hold(
  state: SimulatorState,
  session: SessionRecord,
  until: number,
  then: () => EndpointResult,
): EndpointResult {
  session.heldUntil = until;
  return {
    status: 0,
    body: {},
    requestId: session.id,
    loginId: session.loginId,
    hold: {
      until,
      answer: () => {
        session.heldUntil = null;
        session.lastActivityAt = state.clock.now();
        return then();
      },
    },
  };
}

function sessionNonexistent(requestId: string): EndpointResult {
  return flinksError(
    400,
    'SESSION_NONEXISTENT',
    `RequestId ${requestId} is invalid or session has ended`,
    { requestId },
  );
}

function pending(
  requestId: string,
  code: string,
  message: string,
  loginId: string,
): EndpointResult {
  return {
    status: 202,
    requestId,
    loginId,
    body: {
      HttpStatusCode: 202,
      FlinksCode: code,
      Message: message,
      RequestId: requestId,
      Links: [
        {
          rel: 'GetAccountsDetailAsync',
          href: '/GetAccountsDetailAsync',
          example: `/GetAccountsDetailAsync/${requestId}`,
        },
      ],
    },
  };
}

/**
 * `DELETE /DeleteCard/{loginId}` (docs.flinks.com account-linking/delete-card: `Content-Type:
 * application/json` required, answer `{StatusCode, Message}`): forgets the login, which is then
 * INVALID_LOGIN everywhere. 400 `CARD_IN_USE` while a retrieval of it is processing (docs.flinks.com
 * /api/authorize/error-codes: "Call the DeleteCard endpoint immediately after Authorizing a new
 * account").
 */
export function deleteCard(
  state: SimulatorState,
  request: ApiRequest,
  loginId: string | undefined,
): EndpointResult {
  const authorised =
    hasApiKey(state, request) || request.headers['flinks-auth-key'] === state.config.secretKey;
  if (!authorised) return flinksError(401, 'UNAUTHORIZED', API_KEY_MESSAGE);
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    return flinksError(
      state.config.invalidRequestStatus,
      'INVALID_REQUEST',
      'DeleteCard requires the header Content-Type: application/json.',
      { loginId: loginId ?? null },
    );
  }
  const login = loginId ? state.logins.get(loginId) : undefined;
  if (!loginId || !login) {
    if (state.config.deleteCardUnknown === 'message') {
      return {
        status: 200,
        loginId: loginId ?? null,
        body: { StatusCode: 200, Message: `Invalid LoginId ${loginId ?? ''}` },
      };
    }
    return flinksError(
      state.config.invalidLoginStatus,
      'INVALID_LOGIN',
      `LoginId ${loginId ?? ''} is unknown for this customer.`,
      { loginId: loginId ?? null },
    );
  }
  if (isProcessing(state, login.id)) {
    return flinksError(
      400,
      'CARD_IN_USE',
      'An operation was requested while the account is still being processed: try again once it is done.',
      { loginId },
    );
  }
  deleteLogin(state, loginId);
  return {
    status: 200,
    loginId,
    body: {
      StatusCode: 200,
      Message: `All of the information about LoginId ${loginId} has been removed`,
    },
  };
}

function isProcessing(state: SimulatorState, loginId: string): boolean {
  const now = state.clock.now();
  for (const session of state.sessions.values()) {
    if (session.loginId !== loginId || session.completed || session.challenge) continue;
    if (isExpired(state, session)) continue;
    if (session.readyAt === null || now < session.readyAt) return true;
  }
  return false;
}
