import { parseJsonObject, stringField } from './api-types.js';
import { generateAccountsDetail } from './data.js';
import { consumeToken, createLogin, refreshed } from './logins.js';
import { hashSeed, mulberry32, pick } from './random.js';
import { type SimulatorState, startSession } from './state.js';
import {
  findInstitution,
  INSTITUTIONS,
  isCorrectAnswer,
  SECURITY_QUESTIONS,
  type SecurityQuestion,
  TOOLBOX,
  userBehaviour,
} from './toolbox.js';

/** A JSON answer of the iframe's internal API. */
export interface ConnectApiResult {
  status: number;
  body: Record<string, unknown>;
}

interface ConnectSession {
  createdAt: number;
  language: 'en' | 'fr';
  tag: string | null;
  challenge: {
    username: string;
    institution: string;
    question: SecurityQuestion;
    requestId: string;
  } | null;
}

/**
 * The iframe's same-origin backend (`POST /v2/api/{session,login,mfa}`): checks and consumes
 * the authorize token, checks Toolbox credentials and MFA answers, and creates loginIds in the
 * shared state so they work against the API.
 */
export function createConnectApi(state: SimulatorState) {
  const sessions = new Map<string, ConnectSession>();

  const liveSession = (body: Record<string, unknown>): ConnectSession | undefined => {
    const id = stringField(body, 'sessionId');
    const session = id ? sessions.get(id) : undefined;
    if (session && state.clock.now() >= session.createdAt + state.config.requestIdTtlMs) {
      sessions.delete(id ?? '');
      return undefined;
    }
    return session;
  };

  const succeed = (
    session: ConnectSession,
    username: string,
    institution: string,
  ): ConnectApiResult => {
    const login = createLogin(state, username, { institution, tag: session.tag });
    refreshed(state, login);
    const retrieval = startSession(state, login, { tag: session.tag });
    const accounts = generateAccountsDetail({
      loginId: login.id,
      seed: state.config.seed,
      institution,
      now: retrieval.createdAt,
    });
    return {
      status: 200,
      body: {
        result: 'success',
        loginId: login.id,
        requestId: retrieval.id,
        institution,
        accounts: accounts.map((account) => ({
          id: account.Id,
          title: account.Title,
          mask: `•••• ${account.AccountNumber.slice(-4)}`,
        })),
      },
    };
  };

  const failure = (flinksCode: string): ConnectApiResult => ({
    status: 200,
    body: { result: 'error', flinksCode, requestId: globalThis.crypto.randomUUID() },
  });

  const expired: ConnectApiResult = {
    status: 401,
    body: {
      error: 'SESSION_EXPIRED',
      message: 'This Connect session has ended: reload the page with a new authorizeToken.',
    },
  };

  return {
    /** Routes `POST /v2/api/{action}` with a JSON body. */
    handle(action: string, rawBody: string): ConnectApiResult {
      const body = parseJsonObject(rawBody);
      if (!body)
        return { status: 400, body: { error: 'INVALID_REQUEST', message: 'Send a JSON object.' } };
      if (action === 'session') {
        if (!consumeToken(state, stringField(body, 'authorizeToken'))) {
          return {
            status: 401,
            body: {
              error: 'TOKEN_INVALID',
              message: 'The authorizeToken is missing, expired or already used.',
            },
          };
        }
        const id = globalThis.crypto.randomUUID();
        sessions.set(id, {
          createdAt: state.clock.now(),
          language: stringField(body, 'language') === 'fr' ? 'fr' : 'en',
          tag: stringField(body, 'tag') ?? null,
          challenge: null,
        });
        return {
          status: 200,
          body: {
            sessionId: id,
            institutions: INSTITUTIONS.map(({ name, demoOnly, oauth }) => ({
              name,
              demoOnly,
              oauth,
            })),
          },
        };
      }
      const session = liveSession(body);
      if (!session) return expired;
      if (action === 'login') {
        const username = stringField(body, 'username') ?? '';
        const institution = stringField(body, 'institution') ?? '';
        if (!findInstitution(institution)) return failure('DISABLED_INSTITUTION');
        const behaviour = userBehaviour(username);
        if (!behaviour) return failure('INVALID_USERNAME');
        if (body.password !== TOOLBOX.password) return failure('INVALID_PASSWORD');
        if (behaviour === 'disabled-login') return failure('DISABLED_LOGIN');
        if (behaviour === 'retry-later') return failure('RETRY_LATER');
        if (behaviour !== 'mfa') return succeed(session, username, institution);
        const requestId = globalThis.crypto.randomUUID();
        const question = pick(
          mulberry32(hashSeed(state.config.seed, requestId)),
          SECURITY_QUESTIONS,
        );
        session.challenge = { username, institution, question, requestId };
        return {
          status: 200,
          body: {
            result: 'mfa',
            requestId,
            mfaTypes: ['QuestionAndAnswer'],
            prompt: question[session.language],
          },
        };
      }
      if (action === 'mfa') {
        const challenge = session.challenge;
        if (!challenge) return expired;
        const answer = stringField(body, 'answer') ?? '';
        if (!isCorrectAnswer(challenge.question, answer)) {
          return {
            status: 200,
            body: {
              result: 'error',
              flinksCode: 'INVALID_SECURITY_RESPONSE',
              requestId: challenge.requestId,
            },
          };
        }
        session.challenge = null;
        return succeed(session, challenge.username, challenge.institution);
      }
      return { status: 404, body: { error: 'NOT_FOUND', message: `No iframe action ${action}.` } };
    },
  };
}

/** The iframe backend of one simulator. */
export type ConnectApi = ReturnType<typeof createConnectApi>;
