import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/core/learning/rate-limit.js';

describe('the rate limiter', () => {
  it('allows a burst, then one command per interval, and says how long to wait', () => {
    const r = new RateLimiter({ perMinute: 6, burst: 2 });
    expect(r.take('u1', 0)).toEqual({ ok: true });
    expect(r.take('u1', 0)).toEqual({ ok: true });
    expect(r.take('u1', 0)).toEqual({ ok: false, retryAfterMs: 10_000 });
    expect(r.take('u1', 5_000)).toEqual({ ok: false, retryAfterMs: 5_000 });
    expect(r.take('u1', 10_000)).toEqual({ ok: true });
  });

  it('keeps each key to itself: one learner cannot use up another\'s', () => {
    const r = new RateLimiter({ perMinute: 1 });
    expect(r.take('a', 0).ok).toBe(true);
    expect(r.take('a', 0).ok).toBe(false);
    expect(r.take('b', 0).ok).toBe(true);
  });

  it('forgets keys whose bucket is full again', () => {
    const r = new RateLimiter({ perMinute: 60 });
    r.take('a', 0);
    r.prune(500);
    expect((r as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(1);
    r.prune(2_000);
    expect((r as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(0);
  });
});
