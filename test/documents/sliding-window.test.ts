import { beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { createDatabaseSlidingWindow } from '../../src/rate-limits/database-sliding-window.ts';
import { openDatabase, type Database } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { describeEachDatabase, migratedDatabases } from '../helpers/databases.ts';

const limit = { max: 2, windowMs: 60_000 };

describeEachDatabase('sliding-window limiter on the database', (target) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  it('allows max events in any window of windowMs, and says when the next one fits', async () => {
    const clock = createManualClock();
    const windows = createDatabaseSlidingWindow(database.db, clock);
    expect(await windows.hit('doc-1', limit)).toEqual({ allowed: true, retryAfterMs: 0 });
    clock.advance(10_000);
    expect(await windows.hit('doc-1', limit)).toEqual({ allowed: true, retryAfterMs: 0 });
    clock.advance(20_000);
    // The first event leaves the window 60 s after it happened: 30 s from now.
    expect(await windows.hit('doc-1', limit)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(await windows.hit('doc-2', limit)).toMatchObject({ allowed: true });
    clock.advance(29_999);
    expect(await windows.hit('doc-1', limit)).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    // Sliding, not fixed: the second event (at 10 s) still counts, so one slot only.
    expect(await windows.hit('doc-1', limit)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await windows.hit('doc-1', limit)).toEqual({ allowed: false, retryAfterMs: 10_000 });
  });

  it('does not count refused events, and counts events of the same millisecond', async () => {
    const clock = createManualClock();
    const windows = createDatabaseSlidingWindow(database.db, clock);
    const three = { max: 3, windowMs: 1_000 };
    expect((await windows.hit('k', three)).allowed).toBe(true);
    expect((await windows.hit('k', three)).allowed).toBe(true);
    expect((await windows.hit('k', three)).allowed).toBe(true);
    for (let index = 0; index < 5; index += 1) expect((await windows.hit('k', three)).allowed).toBe(false);
    clock.advance(1_000);
    expect((await windows.hit('k', three)).allowed).toBe(true);
  });

  it('gives the last slot to exactly one of several instances hitting at once', async () => {
    const clock = createManualClock();
    const url = await target.create();
    const first = await openDatabase(loadConfig({ VETTED_DATABASE_URL: url }).database);
    // PostgreSQL: two pools, as two instances have. SQLite: one connection shared by concurrent callers (its
    // driver queues transactions); a second connection in the same process would wait for the lock in
    // better-sqlite3's synchronous busy handler and stall the event loop the holder needs to commit.
    const second =
      target.name === 'postgres'
        ? await openDatabase(loadConfig({ VETTED_DATABASE_URL: url }).database)
        : first;
    try {
      await migrateToLatest(first);
      const limiters = [first, second].map((db) => createDatabaseSlidingWindow(db.db, clock));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          limiters[index % 2]!.hit('shared', { max: 5, windowMs: 60_000 }),
        ),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(5);
    } finally {
      await first.close();
      if (second !== first) await second.close();
    }
  });

  it('prunes events older than any window', async () => {
    const clock = createManualClock();
    const windows = createDatabaseSlidingWindow(database.db, clock);
    await windows.hit('a', limit);
    await windows.hit('b', limit);
    clock.advance(3_600_001);
    await windows.hit('c', limit);
    expect(await windows.prune(3_600_000)).toBe(2);
    const left = await database.db.selectFrom('sliding_window_events').select('key').execute();
    expect(left.map((row) => row.key)).toEqual(['c']);
  });
});
