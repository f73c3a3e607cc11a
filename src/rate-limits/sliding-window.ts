/** How many events a key may have in any window of `windowMs` milliseconds. */
export interface SlidingWindowLimit {
  max: number;
  windowMs: number;
}

export interface SlidingWindowResult {
  /** Whether this event was within the limit; an allowed event is counted, a refused one is not. */
  allowed: boolean;
  /** When refused: milliseconds until the oldest counted event leaves the window (at least 1); else 0. */
  retryAfterMs: number;
}

/**
 * A sliding-window limit shared by every instance: an event at `now` is allowed when fewer than `max`
 * allowed events of the same key happened in `(now − windowMs, now]`. Each `hit` is one atomic step in the
 * store (count and record together), so two instances never both take the last slot. The database store
 * (database-sliding-window.ts) is the default; a Redis store implements the same interface.
 */
export interface SlidingWindowLimiter {
  hit(key: string, limit: SlidingWindowLimit): Promise<SlidingWindowResult>;
}

/**
 * The decision from the allowed events in the window (`at` ascending, with how many happened at each
 * millisecond): shared by the stores so they answer the same.
 */
export function decideSlidingWindow(
  events: readonly { at: number; hits: number }[],
  limit: SlidingWindowLimit,
  now: number,
): SlidingWindowResult {
  const total = events.reduce((sum, event) => sum + event.hits, 0);
  if (total < limit.max) return { allowed: true, retryAfterMs: 0 };
  // The next event fits once enough of the oldest ones have left: total − max + 1 of them.
  const mustLeave = total - limit.max + 1;
  let left = 0;
  for (const event of events) {
    left += event.hits;
    if (left >= mustLeave)
      return { allowed: false, retryAfterMs: Math.max(1, event.at + limit.windowMs - now) };
  }
  return { allowed: false, retryAfterMs: limit.windowMs };
}
