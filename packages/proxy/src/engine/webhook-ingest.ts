import type { Keyring } from '../base/crypto';
import { type RetrievalRow, type Store, TERMINAL_STATES } from '../store/store';
import type { RetrievalTarget } from './step-context';
import type { WebhookOutcome } from './types';

/** What webhook intake needs from the engine. */
export interface WebhookIngestContext {
  store: Store;
  keyring: Keyring;
  /** The engine's single completion path; false when the retrieval was already done. */
  complete(retrieval: RetrievalTarget, payload: Record<string, unknown>): Promise<boolean>;
}

/**
 * Builds `ingestWebhook(body)`: a GetAccountsDetail webhook (or any 200 payload with
 * `Accounts`) completes the retrieval matched by `RequestId`, else by `Login.Id` through the
 * keyed hash to the newest running retrieval. When several connections hold that loginId
 * (several users linked the same bank login) and the payload has a `Tag` that one of them was
 * linked with, only those are candidates. A Tag alone never matches: Flinks does not make tags
 * unique ("You can have different LoginIds with the same Tag value", help.flinks.com 43000436150)
 * and the browser chooses them, so a Tag only picks among connections of the same login. KYC
 * and other types are `ignored`.
 */
export function createWebhookIngest(
  context: WebhookIngestContext,
): (body: unknown) => Promise<WebhookOutcome> {
  const { store, keyring } = context;

  async function matchRetrieval(
    payload: Record<string, unknown>,
  ): Promise<RetrievalRow | 'done' | 'none'> {
    if (typeof payload.RequestId === 'string' && payload.RequestId !== '') {
      const byRequest = await store.findRetrievalByRequestId(payload.RequestId);
      if (byRequest) return byRequest;
    }
    const login = payload.Login as { Id?: unknown } | undefined;
    if (typeof login?.Id !== 'string' || login.Id === '') return 'none';
    const connections = await store.findConnectionsByLoginHash(keyring.loginIdHashes(login.Id));
    if (connections.length === 0) return 'none';
    const tag = typeof payload.Tag === 'string' && payload.Tag !== '' ? payload.Tag : null;
    const tagged = connections.filter((connection) => tag !== null && connection.tag === tag);
    const candidates = tagged.length > 0 ? tagged : connections;
    const states = await Promise.all(
      candidates.map((connection) => store.getConnection(connection.id)),
    );
    const running = states
      .map((state) => state?.retrieval)
      .filter(
        (row): row is RetrievalRow => row !== undefined && !TERMINAL_STATES.includes(row.state),
      )
      .sort((a, b) => b.createdAt - a.createdAt);
    return running[0] ?? 'done';
  }

  return async (body) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'ignored';
    const payload = body as Record<string, unknown>;
    if (payload.ResponseType !== undefined && payload.ResponseType !== 'GetAccountsDetail')
      return 'ignored';
    if (!Array.isArray(payload.Accounts)) return 'ignored';
    const retrieval = await matchRetrieval(payload);
    if (retrieval === 'none') return 'unmatched';
    if (retrieval === 'done' || TERMINAL_STATES.includes(retrieval.state)) return 'duplicate';
    return (await context.complete(retrieval, payload)) ? 'completed' : 'duplicate';
  };
}
