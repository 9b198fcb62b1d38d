// Commands per minute, per learner and per cluster: a token bucket each, refilled continuously.
// Pure apart from the map it keeps; time is passed in.

export interface RateLimitOptions {
  perMinute: number;
  /** How many may come at once after a quiet spell (default: perMinute). */
  burst?: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly opts: RateLimitOptions) {}

  /** Takes one token for `key`; when there is none, says how long until there is. */
  take(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    const burst = this.opts.burst ?? this.opts.perMinute;
    const rate = this.opts.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - b.tokens) / rate) };
  }

  /** Forgets buckets that are full again, so the map does not grow with every learner ever seen. */
  prune(now: number): void {
    const burst = this.opts.burst ?? this.opts.perMinute;
    const rate = this.opts.perMinute / 60_000;
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= burst) this.buckets.delete(k);
  }
}
