// A stand-in for the app's own session middleware, for the test of this snippet only: a real
// app uses express-session, passport, … and sets `request.user` the same way.
import type { NextFunction, Request, Response } from 'express';

const sessions = new Map<string, string>();

declare global {
  namespace Express {
    interface Request {
      user?: { id: string };
    }
  }
}

/** Test helper: a cookie whose session identifies `userId`. */
export function openSession(userId: string): string {
  const id = crypto.randomUUID();
  sessions.set(id, userId);
  return `session=${id}`;
}

/** Sets `request.user` from the session cookie, like any session middleware. */
export function session(request: Request, _response: Response, next: NextFunction): void {
  const id = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  const userId = id ? sessions.get(id) : undefined;
  if (userId) request.user = { id: userId };
  next();
}
