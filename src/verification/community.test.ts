import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../../test/helpers/databases.ts';
import { createManualClock } from '../lib/clock.ts';
import type { Database } from '../storage/database.ts';
import { seedCommunities } from '../storage/migrations/0004-verifications.ts';
import { createCommunityRepository } from './community-repository.ts';
import { createCommunityService } from './community-service.ts';

describeEachDatabase('communities', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  it('lists the seeded communities in display order, with subgroups and validity', async () => {
    const repository = createCommunityRepository(database.db);
    const list = await repository.list();
    expect(list.map((community) => community.handle)).toEqual(seedCommunities.map((seed) => seed.handle));
    const military = await repository.findByHandle('military');
    expect(military).toMatchObject({
      handle: 'military',
      name: 'Military',
      subgroups: ['Service Member', 'Veteran', 'Retiree', 'Military Spouse', 'Military Family'],
      validityDays: 365,
      subgroupValidityDays: { Veteran: null, Retiree: null },
      methods: ['email_domain', 'document', 'roster', 'registry'],
      attributeDefinitions: expect.arrayContaining([
        { handle: 'military_branch', name: 'Military Branch', type: 'string' },
      ]),
    });
    expect(military?.documentTypes.map((type) => type.handle)).toEqual([
      'dd214',
      'military_id',
      'va_card',
      'dependent_id',
    ]);
    for (const community of list) {
      expect(community.methods.length, community.handle).toBeGreaterThan(0);
      expect(community.documentTypes.length, community.handle).toBeGreaterThan(0);
    }
    expect(await repository.findByHandle('alumni')).toMatchObject({ validityDays: null });
    expect(await repository.findByHandle('openid')).toBeUndefined();
  });

  it('answers which scopes are communities', async () => {
    const service = createCommunityService({
      repository: createCommunityRepository(database.db),
      clock: createManualClock(),
      cacheSeconds: 60,
    });
    const handles = await service.handles();
    expect(handles.has('military')).toBe(true);
    expect(handles.has('openid')).toBe(false);
    expect(await service.isCommunityScope('student')).toBe(true);
    expect(await service.isCommunityScope('profile')).toBe(false);
    expect(await service.isCommunityScope('Military')).toBe(false);
    expect(
      await service.communityScopes(['openid', 'teacher', 'email', 'military', 'teacher', 'nope']),
    ).toEqual(['teacher', 'military']);
    expect((await service.find('responder'))?.name).toBe('First Responder');
  });

  it('caches the list for cacheSeconds and sees changes afterwards or after refresh()', async () => {
    const clock = createManualClock();
    const service = createCommunityService({
      repository: createCommunityRepository(database.db),
      clock,
      cacheSeconds: 60,
    });
    expect(await service.isCommunityScope('pilot')).toBe(false);
    await database.db
      .insertInto('communities')
      .values({
        handle: 'pilot',
        name: 'Pilot',
        subgroups: '["Pilot"]',
        validity_days: 30,
        position: 99,
        created_at: 0,
      })
      .execute();
    expect(await service.isCommunityScope('pilot')).toBe(false);
    clock.advance(60_000);
    expect(await service.isCommunityScope('pilot')).toBe(true);
    expect((await service.list()).at(-1)?.handle).toBe('pilot');

    await database.db.deleteFrom('communities').where('handle', '=', 'pilot').execute();
    expect(await service.isCommunityScope('pilot')).toBe(true);
    service.refresh();
    expect(await service.isCommunityScope('pilot')).toBe(false);
  });
});
