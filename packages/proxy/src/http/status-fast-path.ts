import type { ConnectionResponse } from '@flinkit/core/wire';
import { pathOnly } from '../base/logger';
import type { RetrievalEngine } from '../engine/types';
import { CONNECTION_ID_PATTERN } from './schemas';

/** A finished answer for the server to write as it is (it adds `Content-Length`). */
export interface FastAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Answers a request without the Hono app, or returns null at once when it is not one it answers;
 * a promise of null means "answer it through the app after all".
 */
export type FastRead = (
  method: string | undefined,
  url: string | undefined,
  authorization: string | undefined,
  origin: string | undefined,
) => Promise<FastAnswer | null> | null;

/** What the status read needs from the app that owns it. */
export interface StatusFastPathOptions {
  /** The app's `basePath`, '' for none. */
  base: string;
  /** The userId of a bearer token's value; throws when it is missing or invalid. */
  identify: (authorization: string | undefined) => string;
  /** The engine once it exists; undefined while it starts. */
  engine: () => RetrievalEngine | undefined;
  /** The `/v1` JSON headers for a request from `origin` (the ones `AppContext.json` sets). */
  headers: (origin: string | undefined) => Record<string, string>;
  /** Writes the request log line, as the app's middleware does. */
  log: (method: string, path: string, status: number, started: number) => void;
}

/**
 * The status route, `GET /v1/connections/:id`, which a page polls while a retrieval runs, on a
 * path that skips the Hono request and response objects: they cost several times the read itself.
 * It answers only the plain success (a valid bearer token, the engine up, the user's own
 * connection found), with the bytes, headers and log line the app would produce; anything else
 * (no token, a bad id, another user's or a missing connection, a database error) goes to the
 * app, which answers it with its usual error. It exists only with `userTokenSecret` auth: a
 * custom `authenticate` takes a fetch `Request`, which is what this path avoids building.
 */
export function createStatusFastPath(options: StatusFastPathOptions): FastRead {
  const prefix = `${options.base}/v1/connections/`;
  return (method, url, authorization, origin) => {
    if (method !== 'GET' || url === undefined || !url.startsWith(prefix)) return null;
    const engine = options.engine();
    if (!engine) return null;
    const path = pathOnly(url);
    const id = path.slice(prefix.length);
    if (!CONNECTION_ID_PATTERN.test(id)) return null;
    const started = performance.now();
    let userId: string;
    try {
      userId = options.identify(authorization);
    } catch {
      return null;
    }
    return engine.getConnection(userId, id).then(
      (connection) => {
        if (!connection) return null;
        const body: ConnectionResponse = { connection };
        options.log(method, path, 200, started);
        return { status: 200, headers: options.headers(origin), body: JSON.stringify(body) };
      },
      () => null,
    );
  };
}

const fastReads = new WeakMap<object, FastRead>();

/** Gives `app` its fast path, for the Node server to find (not part of the public API). */
export function attachFastRead(app: object, read: FastRead): void {
  fastReads.set(app, read);
}

/** The fast path of an app made by `createFlinkitApp`, if it has one. */
export function fastReadOf(app: object): FastRead | undefined {
  return fastReads.get(app);
}
