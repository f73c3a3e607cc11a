import { beforeAll, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.ts';
import { createAuthFailureRepository } from '../../src/partners/auth-failure-repository.ts';
import { createAuthFailureService } from '../../src/partners/auth-failures.ts';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../helpers/databases.ts';

const HOUR = 3_600_000;

describeEachDatabase('failed client authentication counters', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  const clock = createManualClock(new Date('2026-03-01T10:30:00Z'));
  let service: ReturnType<typeof createAuthFailureService>;
  let repository: ReturnType<typeof createAuthFailureRepository>;

  beforeAll(async () => {
    const database = await databases.fresh();
    repository = createAuthFailureRepository(database.db);
    service = createAuthFailureService({ repository, clock });
  });

  it('counts concurrent failures exactly, in one row per client, endpoint and hour', async () => {
    await Promise.all(Array.from({ length: 40 }, () => service.count('shop', '/oauth/token')));
    await service.count('shop', '/api/public/v3/policies');
    await service.count('other', '/oauth/token');
    expect(await service.summary('shop')).toEqual({
      last24Hours: 41,
      lastDays: 41,
      since: new Date('2026-03-01T10:00:00Z'),
      byEndpoint: [
        { endpoint: '/api/public/v3/policies', last24Hours: 1, lastDays: 1 },
        { endpoint: '/oauth/token', last24Hours: 40, lastDays: 40 },
      ],
    });
    expect(await repository.totals('shop', 0)).toHaveLength(2);
  });

  it('keeps the last 24 hours apart from the last 30 days, and prunes older hours', async () => {
    clock.advance(24 * HOUR);
    await service.count('shop', '/oauth/token');
    expect(await service.summary('shop')).toMatchObject({
      last24Hours: 1,
      lastDays: 42,
      since: new Date('2026-03-01T10:00:00Z'),
    });
    clock.advance(29 * 24 * HOUR);
    expect(await service.prune(clock.now().getTime())).toBe(3);
    expect(await service.summary('shop')).toMatchObject({
      lastDays: 1,
      since: new Date('2026-03-02T10:00:00Z'),
    });
    expect(await service.summary('nobody')).toEqual({
      last24Hours: 0,
      lastDays: 0,
      since: null,
      byEndpoint: [],
    });
    await service.deleteForClient('shop');
    expect((await service.summary('shop')).lastDays).toBe(0);
  });
});
