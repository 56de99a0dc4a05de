import {
  type ApiRequest,
  type EndpointResult,
  flinksError,
  parseJsonObject,
  stringField,
} from './api-types.js';
import { buildAccountsPayload, parseDetailQuery } from './payload.js';
import { deleteLogin, findSession, finishSession, type SimulatorState } from './state.js';

const API_KEY_MESSAGE = 'You must provide a valid x-api-key header';

function hasApiKey(state: SimulatorState, request: ApiRequest): boolean {
  return request.headers['x-api-key'] === state.config.apiKey;
}

/** `POST /GetAccountsDetail`: 202 while processing (DISPATCHED first for test_dispatched), then 200. */
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
  return detail(state, requestId, (session) => {
    session.query = parseDetailQuery(body);
  });
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
  return detail(state, requestId, () => {}, false);
}

function detail(
  state: SimulatorState,
  requestId: string,
  remember: (session: NonNullable<ReturnType<typeof findSession>>) => void,
  canDispatch = true,
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
  const context = { requestId, loginId: login.id };
  if (session.challenge) {
    return flinksError(
      401,
      'UNAUTHORIZED',
      `RequestId ${requestId} waits for its security challenge: answer it with /Authorize first.`,
      context,
    );
  }
  remember(session);
  if (canDispatch && login.behaviour === 'dispatched' && !session.dispatchedSent) {
    session.dispatchedSent = true;
    return pending(
      requestId,
      'OPERATION_DISPATCHED',
      'Your operation was dispatched for background processing: poll /GetAccountsDetailAsync',
      login.id,
    );
  }
  const now = state.clock.now();
  if (session.readyAt === null || now < session.readyAt) {
    return pending(requestId, 'OPERATION_PENDING', 'Your operation is still processing', login.id);
  }
  finishSession(state, session.id);
  return { status: 200, body: buildAccountsPayload(state, session), ...context };
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

/** `DELETE /DeleteCard/{loginId}`: forgets the login; it is then INVALID_LOGIN everywhere. */
export function deleteCard(
  state: SimulatorState,
  request: ApiRequest,
  loginId: string | undefined,
): EndpointResult {
  const authorised =
    hasApiKey(state, request) || request.headers['flinks-auth-key'] === state.config.secretKey;
  if (!authorised) return flinksError(401, 'UNAUTHORIZED', API_KEY_MESSAGE);
  if (!loginId || !deleteLogin(state, loginId)) {
    return flinksError(
      state.config.invalidLoginStatus,
      'INVALID_LOGIN',
      `LoginId ${loginId ?? ''} is unknown for this customer.`,
      { loginId: loginId ?? null },
    );
  }
  return {
    status: 200,
    loginId,
    body: {
      HttpStatusCode: 200,
      Message: `All of the information about LoginId ${loginId} has been removed`,
    },
  };
}
