import { ConfigError } from '../base/errors';
import { HttpError } from './http-error';

/** Limits on open SSE streams. */
export interface StreamLimits {
  /** Most open streams of one user on this process; default 10 (`FLINKIT_SSE_MAX_PER_USER`). */
  perUser?: number;
  /** Most open streams on this process; default 10 000 (`FLINKIT_SSE_MAX_STREAMS`). */
  perProcess?: number;
}

/** The defaults of {@link StreamLimits}. */
export const DEFAULT_STREAM_LIMITS: Required<StreamLimits> = { perUser: 10, perProcess: 10_000 };

/** Counts open SSE streams and refuses the one past a limit. */
export interface StreamSlots {
  /** Takes a slot for `userId`, or throws 429 `too_many_streams`; returns the release. */
  acquire(userId: string): () => void;
}

/** A {@link StreamSlots} in memory: the limits hold per process. */
export function createStreamSlots(limits: StreamLimits = {}): StreamSlots {
  const { perUser, perProcess } = { ...DEFAULT_STREAM_LIMITS, ...limits };
  for (const [name, value] of Object.entries({ perUser, perProcess })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(`sseLimits.${name}`, `sseLimits.${name} must be a positive integer.`);
    }
  }
  const byUser = new Map<string, number>();
  let total = 0;
  return {
    acquire(userId) {
      const mine = byUser.get(userId) ?? 0;
      if (mine >= perUser || total >= perProcess) {
        throw new HttpError(
          429,
          'too_many_streams',
          mine >= perUser
            ? `At most ${perUser} status streams may be open per user. Close one (or poll GET /v1/connections/:id) and try again.`
            : 'This server has as many status streams open as it allows. Try again shortly, or poll GET /v1/connections/:id.',
          true,
          { headers: { 'retry-after': '5' } },
        );
      }
      byUser.set(userId, mine + 1);
      total += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (byUser.get(userId) ?? 1) - 1;
        if (left <= 0) byUser.delete(userId);
        else byUser.set(userId, left);
      };
    },
  };
}
