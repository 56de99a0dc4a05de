import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from './rate-limit';

describe('createMemoryRateLimiter', () => {
  it('allows `limit` attempts per window per key, then says when to retry', async () => {
    let now = 0;
    const limiter = createMemoryRateLimiter({ limit: 2, windowMs: 10_000, now: () => now });
    expect((await limiter.consume('a')).allowed).toBe(true);
    expect((await limiter.consume('a')).allowed).toBe(true);
    now = 2_500;
    expect(await limiter.consume('a')).toEqual({ allowed: false, retryAfterSeconds: 8 });
    expect((await limiter.consume('b')).allowed).toBe(true);
    now = 10_000;
    expect((await limiter.consume('a')).allowed).toBe(true);
  });
});
