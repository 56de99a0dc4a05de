import { type Clock, createSystemClock } from './clock.js';
import type { Account } from './data.js';
import { hashSeed, mulberry32, type Random } from './random.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import { type SecurityQuestion, TOOLBOX, type UserBehaviour } from './toolbox.js';
import type { FaultRule, HeldRequest, RequestLogEntry, SimulatorOptions } from './types.js';

/** A linked bank login (what a loginId stands for). */
export interface LoginRecord {
  id: string;
  username: string;
  institution: string;
  behaviour: UserBehaviour;
  createdAt: number;
  /** The `tag` of the Connect session that created it, if any. */
  tag: string | null;
  /** Hold of its GetAccountsDetail POSTs; null = the simulator's `holdDetailMs`. */
  holdDetailMs: number | null;
  /** When its data was last refreshed at the bank (`Login.LastRefresh`). */
  lastRefreshAt: number;
  /**
   * The FlinksCode of its last refresh when that refresh failed (e.g. `QUESTION_NOT_FOUND`
   * after an abandoned MFA): a cached Authorize repeats it, with a usable RequestId.
   */
  lastRefreshError: string | null;
}

/** What GetAccountsDetail was asked for; the Async answer and webhooks reuse it. */
export interface DetailQuery {
  withAccountIdentity: boolean;
  withKyc: boolean;
  withTransactions: boolean;
  days: 90 | 365;
  accountsFilter: string[] | null;
}

/** A RequestId: one Authorize session and its retrieval. */
export interface SessionRecord {
  id: string;
  loginId: string;
  createdAt: number;
  lastActivityAt: number;
  /** When the retrieval finishes; null = not scheduled (test_pending, MFA unanswered, test_dispatched before its POST). */
  readyAt: number | null;
  completed: boolean;
  /** Clock time of the first GetAccountsDetail POST; null before. */
  detailPostedAt: number | null;
  /** Clock time of the first GetAccountsDetail(Async) call; null before (the idle expiry applies). */
  firstDataAt: number | null;
  /** While a GetAccountsDetail POST is held: when it answers. */
  heldUntil: number | null;
  /** Set while a 203 challenge waits for its answer. */
  challenge: { question: SecurityQuestion; token: string } | null;
  tag: string | null;
  query: DetailQuery | null;
}

/** Options with every default applied. */
export interface ResolvedConfig {
  customerId: string;
  secretKey: string;
  apiKey: string;
  processingMs: number;
  holdDetailMs: number;
  holdAnswer: 'OPERATION_DISPATCHED' | 'OPERATION_PENDING';
  syncWindowMs: number;
  tokenTtlMs: number;
  requestIdTtlMs: number;
  requestIdIdleMs: number | null;
  redirectShape: 'loginId' | 'url';
  deleteCardUnknown: 'message' | 'INVALID_LOGIN';
  seed: number;
  latencyMs: number;
  invalidLoginStatus: 400 | 401;
  invalidRequestStatus: 400 | 401;
}

/** Everything the API and the iframe share: one instance per simulator. */
export interface SimulatorState {
  config: ResolvedConfig;
  clock: Clock;
  scheduler: Scheduler;
  logins: Map<string, LoginRecord>;
  tokens: Map<string, { issuedAt: number; used: boolean }>;
  sessions: Map<string, SessionRecord>;
  log: RequestLogEntry[];
  /** Requests held open right now. */
  held: Set<HeldRequest>;
  /** Aborted by `close()`/`dispose()`: held requests stop waiting. */
  shutdown: AbortController;
  /** Called on shutdown: each drops one held request. */
  holdWaiters: Set<() => void>;
  faults: FaultRule[];
  faultHits: Map<FaultRule, number>;
  faultRandom: Random;
  idRandom: Random;
  /** Called once per RequestId when its retrieval completes. */
  onComplete: ((session: SessionRecord) => void)[];
  /** Generated accounts by login and day: generation costs milliseconds, polls are many. */
  accountsCache: Map<string, Account[]>;
}

const MINUTE = 60_000;

/** Builds the state with the defaults of {@link SimulatorOptions}. */
export function createState(options: SimulatorOptions = {}): SimulatorState {
  const clock = options.clock ?? createSystemClock();
  const seed = options.seed ?? 1;
  const shutdown = new AbortController();
  const holdWaiters = new Set<() => void>();
  shutdown.signal.addEventListener('abort', () => {
    for (const drop of [...holdWaiters]) drop();
  });
  return {
    config: {
      customerId: options.customerId ?? TOOLBOX.customerId,
      secretKey: options.secretKey ?? TOOLBOX.secretKey,
      apiKey: options.apiKey ?? TOOLBOX.apiKey,
      processingMs: Math.max(0, options.processingMs ?? 2000),
      holdDetailMs: Math.max(0, options.holdDetailMs ?? 0),
      holdAnswer: options.holdAnswer ?? 'OPERATION_DISPATCHED',
      syncWindowMs: Math.max(0, options.syncWindowMs ?? 210_000),
      tokenTtlMs: options.tokenTtlMs ?? 30 * MINUTE,
      requestIdTtlMs: options.requestIdTtlMs ?? 30 * MINUTE,
      requestIdIdleMs: options.requestIdIdleMs === undefined ? 8 * MINUTE : options.requestIdIdleMs,
      redirectShape: options.redirectShape ?? 'url',
      deleteCardUnknown: options.deleteCardUnknown ?? 'message',
      seed,
      latencyMs: Math.max(0, options.latencyMs ?? 0),
      invalidLoginStatus: options.invalidLoginStatus ?? 401,
      invalidRequestStatus: options.invalidRequestStatus ?? 400,
    },
    clock,
    scheduler: createScheduler(clock),
    logins: new Map(),
    tokens: new Map(),
    sessions: new Map(),
    log: [],
    held: new Set(),
    shutdown,
    holdWaiters,
    faults: [...(options.faults ?? [])],
    faultHits: new Map(),
    faultRandom: mulberry32(hashSeed(seed, 'faults')),
    idRandom: mulberry32(hashSeed(seed, 'ids')),
    onComplete: [],
    accountsCache: new Map(),
  };
}

/** Opens a RequestId for `login`; processing starts now unless a challenge must be answered. */
export function startSession(
  state: SimulatorState,
  login: LoginRecord,
  options: { tag?: string | null; challenge?: SessionRecord['challenge'] } = {},
): SessionRecord {
  const now = state.clock.now();
  const session: SessionRecord = {
    id: globalThis.crypto.randomUUID(),
    loginId: login.id,
    createdAt: now,
    lastActivityAt: now,
    readyAt: null,
    completed: false,
    detailPostedAt: null,
    firstDataAt: null,
    heldUntil: null,
    challenge: options.challenge ?? null,
    tag: options.tag ?? login.tag,
    query: null,
  };
  state.sessions.set(session.id, session);
  if (!session.challenge) beginProcessing(state, session);
  return session;
}

/** Starts the retrieval clock of `session` (after Authorize, or after its MFA answer). */
export function beginProcessing(state: SimulatorState, session: SessionRecord): void {
  session.challenge = null;
  const login = state.logins.get(session.loginId);
  // test_pending never finishes; test_dispatched starts its live job at its first POST.
  if (login?.behaviour === 'pending' || login?.behaviour === 'dispatched') return;
  scheduleReady(state, session, state.clock.now() + state.config.processingMs);
}

/** Makes `session` finish at clock time `readyAt`. */
export function scheduleReady(
  state: SimulatorState,
  session: SessionRecord,
  readyAt: number,
): void {
  session.readyAt = readyAt;
  state.scheduler.at(readyAt, () => {
    if (session.readyAt === readyAt) finishSession(state, session.id);
  });
}

/**
 * True once a RequestId is gone: `requestIdTtlMs` (30 min) after its Authorize, or
 * `requestIdIdleMs` (8 min) of inactivity before its first data call — "Expires after 8 minutes
 * of inactivity during authorization, or 30 minutes during data processing" (docs.flinks.com
 * /guides/getting-started/key-concepts; help.flinks.com 43000436113 "Timeout Lengths").
 */
export function isExpired(state: SimulatorState, session: SessionRecord): boolean {
  const now = state.clock.now();
  const { requestIdTtlMs, requestIdIdleMs } = state.config;
  const idle =
    requestIdIdleMs !== null &&
    session.firstDataAt === null &&
    now >= session.lastActivityAt + requestIdIdleMs;
  return now >= session.createdAt + requestIdTtlMs || idle || !state.logins.has(session.loginId);
}

/** The live session `id`, touching its idle timer; expired ones are forgotten. */
export function findSession(state: SimulatorState, id: string): SessionRecord | undefined {
  const session = state.sessions.get(id);
  if (!session) return undefined;
  if (isExpired(state, session)) {
    state.sessions.delete(id);
    return undefined;
  }
  session.lastActivityAt = state.clock.now();
  return session;
}

/** Marks the retrieval of `id` complete now (once) and tells the listeners. */
export function finishSession(state: SimulatorState, id: string): void {
  const session = state.sessions.get(id);
  if (!session || session.completed || session.challenge) return;
  const now = state.clock.now();
  if (session.readyAt === null || session.readyAt > now) session.readyAt = now;
  session.completed = true;
  for (const listener of state.onComplete) listener(session);
}

/** Forgets `loginId` and its sessions; false when unknown. */
export function deleteLogin(state: SimulatorState, loginId: string): boolean {
  if (!state.logins.delete(loginId)) return false;
  for (const [id, session] of state.sessions) {
    if (session.loginId === loginId) state.sessions.delete(id);
  }
  return true;
}
