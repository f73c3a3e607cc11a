/**
 * Counters for rate limits and brute-force protection. The default store is the database (`rate_limits`);
 * a Redis store can implement the same interface (INCR/PEXPIRE, a Lua script for the back-off) so several
 * instances share one view. Every method is a single atomic step in the store: no read-modify-write in the
 * process, so concurrent instances never lose a count.
 */
export interface RateLimiter {
  /** Counts one event against `key` in a fixed window and says whether it was within the limit. */
  hit(key: string, window: FixedWindow): Promise<RateLimitResult>;
  /** What `hit` would answer about the next event, without counting one. */
  peek(key: string, window: FixedWindow): Promise<RateLimitResult>;
  /**
   * Counts one failure against `key`; from the `threshold`-th failure on, blocks the key for
   * `baseMs · 2^(failures − threshold)`, at most `maxMs`. Failures are forgotten after `resetAfterMs`
   * without one.
   */
  penalize(key: string, policy: BackoffPolicy): Promise<PenaltyResult>;
  /** Milliseconds until the block set by `penalize` lifts; 0 when `key` is not blocked. */
  blockedForMs(key: string): Promise<number>;
  /** Forgets everything about `key` (a successful sign-in, an operator unlocking an account). */
  reset(key: string): Promise<void>;
}

export interface FixedWindow {
  /** Events allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Events left in the current window. */
  remaining: number;
  /** When not allowed: milliseconds until the window ends. 0 when allowed. */
  retryAfterMs: number;
}

export interface BackoffPolicy {
  threshold: number;
  baseMs: number;
  maxMs: number;
  resetAfterMs: number;
}

export interface PenaltyResult {
  /** Failures counted so far, this one included. */
  failures: number;
  /** How long this failure blocked the key for; 0 below the threshold. */
  blockedForMs: number;
}

/** The block that the `failures`-th failure earns under `policy`. */
export function backoffMs(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.threshold) return 0;
  return Math.min(policy.baseMs * 2 ** (failures - policy.threshold), policy.maxMs);
}
