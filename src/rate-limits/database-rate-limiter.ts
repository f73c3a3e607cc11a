import { sql, type Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { Schema } from '../storage/schema.ts';
import { backoffMs, type FixedWindow, type RateLimiter, type RateLimitResult } from './rate-limiter.ts';

/**
 * The rate limiter on the `rate_limits` table, portable between SQLite and PostgreSQL. Each count is one
 * upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`) that restarts an expired window in the same
 * statement, so instances sharing the database never lose or double a count. For fixed windows
 * `window_started_at` is the start of the window; for back-off keys it is the time of the last failure.
 */
export function createDatabaseRateLimiter(db: Kysely<Schema>, clock: Clock) {
  const existing = (column: 'hits' | 'window_started_at' | 'blocked_until') =>
    sql.ref(`rate_limits.${column}`);

  /** Adds one to `key`, starting over when its window began at or before `expiredAt`. */
  async function count(key: string, now: number, expiredAt: number, windowStart: 'keep' | 'now') {
    const expired = sql<boolean>`${existing('window_started_at')} <= ${expiredAt}`;
    const row = await db
      .insertInto('rate_limits')
      .values({ key, hits: 1, window_started_at: now, blocked_until: null })
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          hits: sql<number>`case when ${expired} then 1 else ${existing('hits')} + 1 end`,
          window_started_at:
            windowStart === 'now'
              ? sql<number>`${now}`
              : sql<number>`case when ${expired} then ${now} else ${existing('window_started_at')} end`,
          blocked_until: sql<
            number | null
          >`case when ${expired} then null else ${existing('blocked_until')} end`,
        }),
      )
      .returning(['hits', 'window_started_at'])
      .executeTakeFirstOrThrow();
    return { hits: row.hits, windowStartedAt: row.window_started_at };
  }

  function result(hits: number, windowStartedAt: number, window: FixedWindow, now: number): RateLimitResult {
    const allowed = hits <= window.limit;
    return {
      allowed,
      remaining: Math.max(0, window.limit - hits),
      retryAfterMs: allowed ? 0 : Math.max(0, windowStartedAt + window.windowMs - now),
    };
  }

  const limiter: RateLimiter = {
    async hit(key, window) {
      const now = clock.now().getTime();
      const { hits, windowStartedAt } = await count(key, now, now - window.windowMs, 'keep');
      return result(hits, windowStartedAt, window, now);
    },

    async peek(key, window) {
      const now = clock.now().getTime();
      const row = await db
        .selectFrom('rate_limits')
        .select(['hits', 'window_started_at'])
        .where('key', '=', key)
        .executeTakeFirst();
      const current = row === undefined || row.window_started_at <= now - window.windowMs ? 0 : row.hits;
      // The next event would be number current + 1.
      return result(current + 1, row?.window_started_at ?? now, window, now);
    },

    async penalize(key, policy) {
      const now = clock.now().getTime();
      const { hits } = await count(key, now, now - policy.resetAfterMs, 'now');
      const blockedForMs = backoffMs(hits, policy);
      if (blockedForMs > 0) {
        const until = now + blockedForMs;
        // Only ever lengthens a block, so concurrent failures settle on the longest one.
        await db
          .updateTable('rate_limits')
          .set({ blocked_until: until })
          .where('key', '=', key)
          .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', until)]))
          .execute();
      }
      return { failures: hits, blockedForMs };
    },

    async blockedForMs(key) {
      const row = await db
        .selectFrom('rate_limits')
        .select('blocked_until')
        .where('key', '=', key)
        .executeTakeFirst();
      if (row?.blocked_until == null) return 0;
      return Math.max(0, row.blocked_until - clock.now().getTime());
    },

    async reset(key) {
      await db.deleteFrom('rate_limits').where('key', '=', key).execute();
    },
  };

  return {
    ...limiter,
    /** Deletes counters untouched for `olderThanMs` and not blocking anything; for a periodic clean-up. */
    async deleteStale(olderThanMs: number): Promise<number> {
      const now = clock.now().getTime();
      const result = await db
        .deleteFrom('rate_limits')
        .where('window_started_at', '<', now - olderThanMs)
        .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type DatabaseRateLimiter = ReturnType<typeof createDatabaseRateLimiter>;
