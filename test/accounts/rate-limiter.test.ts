import { beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { createDatabaseRateLimiter } from '../../src/rate-limits/database-rate-limiter.ts';
import type { BackoffPolicy } from '../../src/rate-limits/rate-limiter.ts';
import { openDatabase, type Database } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { migratedDatabases } from './support.ts';

const window = { limit: 3, windowMs: 60_000 };
const backoff: BackoffPolicy = { threshold: 3, baseMs: 1_000, maxMs: 5_000, resetAfterMs: 60_000 };

describeEachDatabase('rate limiter on the database', (target) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  it('counts hits in a fixed window and starts over when it ends', async () => {
    const clock = createManualClock();
    const limiter = createDatabaseRateLimiter(database.db, clock);
    expect(await limiter.peek('k', window)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
    expect(await limiter.hit('k', window)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
    clock.advance(10_000);
    expect(await limiter.hit('k', window)).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
    expect(await limiter.hit('k', window)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    expect(await limiter.peek('k', window)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 50_000 });
    expect(await limiter.hit('k', window)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 50_000 });
    expect(await limiter.hit('other', window)).toMatchObject({ allowed: true });
    clock.advance(50_000);
    expect(await limiter.peek('k', window)).toMatchObject({ allowed: true, remaining: 2 });
    expect(await limiter.hit('k', window)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
    await limiter.reset('k');
    expect(await limiter.peek('k', window)).toMatchObject({ remaining: 2 });
  });

  it('loses no count when several instances hit one key at once', async () => {
    const clock = createManualClock();
    const url = await target.create();
    const second = await openDatabase(loadConfig({ VETTED_DATABASE_URL: url }).database);
    const first = await openDatabase(loadConfig({ VETTED_DATABASE_URL: url }).database);
    try {
      await migrateToLatest(first);
      const limiters = [first, second].map((db) => createDatabaseRateLimiter(db.db, clock));
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          limiters[index % 2]!.hit('shared', { limit: 10, windowMs: 60_000 }),
        ),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(10);
      expect(await limiters[0]!.peek('shared', { limit: 100, windowMs: 60_000 })).toMatchObject({
        remaining: 69,
      });
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('blocks a key with exponential back-off and forgets failures after a quiet period', async () => {
    const clock = createManualClock();
    const limiter = createDatabaseRateLimiter(database.db, clock);
    expect(await limiter.penalize('p', backoff)).toEqual({ failures: 1, blockedForMs: 0 });
    expect(await limiter.penalize('p', backoff)).toEqual({ failures: 2, blockedForMs: 0 });
    expect(await limiter.blockedForMs('p')).toBe(0);
    expect(await limiter.penalize('p', backoff)).toEqual({ failures: 3, blockedForMs: 1_000 });
    clock.advance(400);
    expect(await limiter.blockedForMs('p')).toBe(600);
    expect(await limiter.penalize('p', backoff)).toEqual({ failures: 4, blockedForMs: 2_000 });
    expect(await limiter.penalize('p', backoff)).toEqual({ failures: 5, blockedForMs: 4_000 });
    expect(await limiter.penalize('p', backoff)).toEqual({ failures: 6, blockedForMs: 5_000 });
    expect(await limiter.blockedForMs('p')).toBe(5_000);
    clock.advance(59_999);
    expect(await limiter.penalize('p', backoff)).toEqual({ failures: 7, blockedForMs: 5_000 });
    clock.advance(60_000);
    expect(await limiter.blockedForMs('p')).toBe(0);
    expect(await limiter.penalize('p', backoff)).toEqual({ failures: 1, blockedForMs: 0 });
    expect(await limiter.blockedForMs('p')).toBe(0);
    await limiter.reset('p');
    expect(await limiter.blockedForMs('p')).toBe(0);
    expect(await limiter.blockedForMs('never-seen')).toBe(0);
  });

  it('keeps the longest block when failures race', async () => {
    const clock = createManualClock();
    const limiter = createDatabaseRateLimiter(database.db, clock);
    const results = await Promise.all(Array.from({ length: 6 }, () => limiter.penalize('race', backoff)));
    expect(results.map((result) => result.failures).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await limiter.blockedForMs('race')).toBe(5_000);
  });

  it('deletes stale counters but keeps those still blocking', async () => {
    const clock = createManualClock();
    const limiter = createDatabaseRateLimiter(database.db, clock);
    await limiter.hit('old', window);
    for (let failure = 0; failure < 10; failure++)
      await limiter.penalize('blocked', { ...backoff, maxMs: 600_000 });
    clock.advance(120_000);
    await limiter.hit('recent', window);
    expect(await limiter.deleteStale(60_000)).toBe(1);
    const keys = await database.db.selectFrom('rate_limits').select('key').orderBy('key').execute();
    expect(keys.map((row) => row.key)).toEqual(['blocked', 'recent']);
  });
});
