import { beforeEach, expect, it } from 'vitest';
import {
  describeEachDatabase,
  migratedDatabases,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import { createManualClock } from '../../lib/clock.ts';
import { randomIds } from '../../lib/ids.ts';
import type { Database } from '../../storage/database.ts';
import { seedEmailDomainRules } from '../../storage/migrations/0005-community-definitions.ts';
import { createCommunityRepository } from '../community-repository.ts';
import { createCommunityService } from '../community-service.ts';
import { createEmailDomainRuleRepository, createEmailDomainRules } from './email-domain-rules.ts';

describeEachDatabase('email-domain rules', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  function setup() {
    const clock = createManualClock(new Date('2026-03-01T12:00:00Z'));
    const repository = createEmailDomainRuleRepository(database.db);
    const communities = createCommunityService({
      repository: createCommunityRepository(database.db),
      clock,
      cacheSeconds: 0,
    });
    const rules = createEmailDomainRules({ repository, communities, ids: randomIds, clock });
    return { clock, repository, rules };
  }

  it('lists the seeded rules, all or by community', async () => {
    const { repository } = setup();
    const all = await repository.list();
    expect(all.map(({ community, subgroup, pattern }) => ({ community, subgroup, pattern }))).toEqual(
      expect.arrayContaining(seedEmailDomainRules),
    );
    expect(all).toHaveLength(seedEmailDomainRules.length);
    expect(await repository.list('military')).toEqual([
      {
        id: expect.any(String),
        community: 'military',
        subgroup: 'Service Member',
        pattern: '*.mil',
        createdAt: expect.any(Date),
      },
    ]);
    expect(await repository.list('nurse')).toEqual([]);
  });

  it('inserts, refuses a duplicate pattern of a community with rule_exists, and deletes', async () => {
    const { repository } = setup();
    const rule = {
      id: 'rule-1',
      community: 'military',
      subgroup: 'Veteran',
      pattern: 'va.gov',
      createdAt: new Date('2026-03-01T12:00:00Z'),
    };
    await repository.insert(rule);
    expect(await repository.list('military')).toContainEqual(rule);
    await expect(repository.insert({ ...rule, id: 'rule-2' })).rejects.toMatchObject({
      code: 'verification.rule_exists',
      status: 409,
    });
    await expect(repository.insert({ ...rule, pattern: 'vba.va.gov' })).rejects.toMatchObject({
      code: 'verification.rule_exists',
    });
    // The same pattern in another community is another rule.
    await repository.insert({ ...rule, id: 'rule-3', community: 'government', subgroup: 'Federal' });
    await expect(
      repository.insert({ ...rule, id: 'rule-4', community: 'pirates', subgroup: 'Captain' }),
    ).rejects.toMatchObject({ code: 'verification.unknown_community' });
    expect(await repository.delete('rule-1')).toBe(true);
    expect(await repository.delete('rule-1')).toBe(false);
    expect(await repository.list('military')).not.toContainEqual(rule);
  });

  it('adds a rule in canonical form after checking community, subgroup and pattern', async () => {
    const { rules, clock } = setup();
    const added = await rules.add({
      community: 'student',
      subgroup: 'University Student',
      pattern: '*.Bücher.DE',
    });
    expect(added).toEqual({
      id: expect.any(String),
      community: 'student',
      subgroup: 'University Student',
      pattern: '*.xn--bcher-kva.de',
      createdAt: clock.now(),
    });
    expect(await rules.list('student')).toContainEqual(added);

    await expect(
      rules.add({ community: 'pirates', subgroup: 'Captain', pattern: '*.sea' }),
    ).rejects.toMatchObject({ code: 'verification.unknown_community', status: 400 });
    await expect(
      rules.add({ community: 'student', subgroup: 'Captain', pattern: '*.sea' }),
    ).rejects.toMatchObject({
      code: 'verification.unknown_subgroup',
      status: 400,
    });
    await expect(
      rules.add({ community: 'student', subgroup: 'University Student', pattern: 'a*.edu' }),
    ).rejects.toMatchObject({
      code: 'verification.invalid_domain_pattern',
      status: 400,
      message: expect.stringContaining(
        '"a*.edu" is not a valid domain pattern: * must stand alone between dots',
      ),
    });
    await expect(
      rules.add({ community: 'student', subgroup: 'University Student', pattern: '*.EDU' }),
    ).rejects.toMatchObject({ code: 'verification.rule_exists', status: 409 });
  });

  it('removes a rule, and says when there is none', async () => {
    const { rules } = setup();
    const added = await rules.add({ community: 'military', subgroup: 'Veteran', pattern: 'va.gov' });
    await rules.remove(added.id);
    expect(await rules.list('military')).not.toContainEqual(added);
    await expect(rules.remove(added.id)).rejects.toMatchObject({
      code: 'verification.rule_not_found',
      status: 404,
    });
  });

  it('matches an address to the most specific rule of the community', async () => {
    const { rules } = setup();
    await rules.add({ community: 'military', subgroup: 'Veteran', pattern: 'va.mil' });
    await rules.add({ community: 'military', subgroup: 'Retiree', pattern: '*.retired.va.mil' });
    await rules.add({ community: 'military', subgroup: 'Military Family', pattern: '*.*.mil' });

    const subgroupOf = async (community: string, address: string) =>
      (await rules.match(community, address))?.subgroup;
    expect(await subgroupOf('military', 'sam@army.mil')).toBe('Service Member');
    expect(await subgroupOf('military', 'sam@us.army.mil')).toBe('Military Family');
    expect(await subgroupOf('military', 'sam@va.mil')).toBe('Veteran');
    expect(await subgroupOf('military', 'sam@x.retired.va.mil')).toBe('Retiree');
    expect(await subgroupOf('military', 'Sam@ARMY.MIL')).toBe('Service Member');
    expect(await subgroupOf('military', 'sam@army.mil.evil.com')).toBeUndefined();
    expect(await subgroupOf('military', 'sam@mil')).toBeUndefined();
    expect(await subgroupOf('military', 'army.mil')).toBeUndefined();
    expect(await subgroupOf('student', 'sam@army.mil')).toBeUndefined();
    expect(await subgroupOf('teacher', 'pat@lausd.k12.ca.us')).toBe('Teacher');
    expect(await subgroupOf('pirates', 'sam@army.mil')).toBeUndefined();

    const match = await rules.match('military', 'sam@va.mil');
    expect(match?.rule).toMatchObject({ community: 'military', pattern: 'va.mil', subgroup: 'Veteran' });
  });

  it('ignores rules whose pattern is no longer valid or whose subgroup the community dropped', async () => {
    const { repository, rules } = setup();
    const createdAt = new Date();
    await repository.insert({
      id: 'bad',
      community: 'student',
      subgroup: 'University Student',
      pattern: '*',
      createdAt,
    });
    await repository.insert({
      id: 'gone',
      community: 'student',
      subgroup: 'Dropout',
      pattern: 'x.edu',
      createdAt,
    });
    expect((await rules.match('student', 'sam@x.edu'))?.rule.id).not.toBe('gone');
    expect((await rules.match('student', 'sam@example.org'))?.rule.id).toBeUndefined();
    expect((await rules.acceptedPatterns('student')).map((pattern) => pattern.text)).toEqual(['*.edu']);
  });
});
