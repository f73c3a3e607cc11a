import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { Schema } from '../storage/schema.ts';
import { decideSlidingWindow, type SlidingWindowLimiter } from './sliding-window.ts';

/**
 * Sliding windows in the database, portable between SQLite and PostgreSQL: `sliding_window_events` holds
 * the allowed events of each key (one row per key and millisecond, with a count), and each hit is one
 * transaction that counts the events in `(now − window, now]` and records the new one only when it fits.
 *
 * Two instances must not both see "one slot left". The transaction starts with an upsert of the key's row
 * in `sliding_window_keys`: on PostgreSQL the upsert takes that row's lock until commit, so a concurrent hit
 * of the same key waits there, and its following statements (READ COMMITTED: a fresh snapshot each) see
 * the first one's event. On SQLite the transaction is BEGIN IMMEDIATE (storage/sqlite-dialect.ts), which
 * serializes writers anyway. An upsert rather than `SELECT … FOR UPDATE`: FOR UPDATE locks nothing for a key
 * that has no row yet (the first two hits would race), and it is not SQLite syntax; an advisory lock would
 * be PostgreSQL-only. Other keys are never blocked.
 *
 * Each hit deletes its key's events that left the window; `prune` removes what keys no longer hit left.
 */
export function createDatabaseSlidingWindow(db: Kysely<Schema>, clock: Clock) {
  const limiter: SlidingWindowLimiter = {
    async hit(key, limit) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now().getTime();
        const since = now - limit.windowMs;
        await trx
          .insertInto('sliding_window_keys')
          .values({ key, touched_at: now })
          .onConflict((conflict) => conflict.column('key').doUpdateSet({ touched_at: now }))
          .execute();
        await trx
          .deleteFrom('sliding_window_events')
          .where('key', '=', key)
          .where('at', '<=', since)
          .execute();
        const events = await trx
          .selectFrom('sliding_window_events')
          .select(['at', 'hits'])
          .where('key', '=', key)
          .where('at', '>', since)
          .where('at', '<=', now)
          .orderBy('at')
          .execute();
        const result = decideSlidingWindow(events, limit, now);
        if (result.allowed) {
          await trx
            .insertInto('sliding_window_events')
            .values({ key, at: now, hits: 1 })
            .onConflict((conflict) =>
              conflict
                .columns(['key', 'at'])
                .doUpdateSet((eb) => ({ hits: eb('sliding_window_events.hits', '+', 1) })),
            )
            .execute();
        }
        return result;
      });
    },
  };

  return {
    ...limiter,
    /** Deletes events older than `olderThanMs` (longer than any window in use) and keys idle as long. */
    async prune(olderThanMs: number): Promise<number> {
      const before = clock.now().getTime() - olderThanMs;
      const events = await db
        .deleteFrom('sliding_window_events')
        .where('at', '<=', before)
        .executeTakeFirst();
      await db.deleteFrom('sliding_window_keys').where('touched_at', '<=', before).execute();
      return Number(events.numDeletedRows);
    },
  };
}

export type DatabaseSlidingWindow = ReturnType<typeof createDatabaseSlidingWindow>;
