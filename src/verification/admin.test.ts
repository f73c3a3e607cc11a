import { randomBytes } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../../test/helpers/databases.ts';
import { createAuditRepository } from '../audit/audit-repository.ts';
import { createAuditService } from '../audit/audit-service.ts';
import { createSecretBox } from '../keys/secret-box.ts';
import { createManualClock } from '../lib/clock.ts';
import { randomIds } from '../lib/ids.ts';
import type { Database } from '../storage/database.ts';
import { createVerificationAdmin } from './admin.ts';
import { createCommunityRepository } from './community-repository.ts';
import { createCommunityService } from './community-service.ts';
import { createEmailDomainRuleRepository, createEmailDomainRules } from './methods/email-domain-rules.ts';
import { createRegistrySourceRepository } from './sources/registry-repository.ts';
import { createRosterRepository } from './sources/roster-repository.ts';

describeEachDatabase('verification admin', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;

  beforeEach(async () => {
    database = await databases.fresh();
  });

  function setup() {
    const clock = createManualClock();
    const audit = createAuditService({
      repository: createAuditRepository(database.db),
      clock,
      ids: randomIds,
    });
    const communityRepository = createCommunityRepository(database.db);
    const communities = createCommunityService({ repository: communityRepository, clock, cacheSeconds: 60 });
    const admin = createVerificationAdmin({
      communityRepository,
      communities,
      emailRules: createEmailDomainRules({
        repository: createEmailDomainRuleRepository(database.db),
        communities,
        ids: randomIds,
        clock,
      }),
      rosters: createRosterRepository(database.db),
      registries: createRegistrySourceRepository(
        database.db,
        createSecretBox(randomBytes(32), 'registry-auth-header'),
      ),
      audit,
      ids: randomIds,
      clock,
    });
    return { admin, audit, communities };
  }

  const operator = { type: 'operator' } as const;

  it('audits every change to how communities are proven, and the change is seen at once', async () => {
    const { admin, audit, communities } = setup();
    expect((await communities.find('student'))?.validityDays).toBe(365);
    const student = await admin.updateCommunity(
      'student',
      { validityDays: 180, methods: ['document'] },
      operator,
    );
    expect(student).toMatchObject({ validityDays: 180, methods: ['document'] });
    expect((await communities.find('student'))?.validityDays).toBe(180);
    const rule = await admin.addEmailDomainRule(
      { community: 'student', subgroup: 'University Student', pattern: 'uni.example' },
      operator,
    );
    await admin.removeEmailDomainRule(rule.id, operator);
    const roster = await admin.importRoster(
      {
        community: (await communities.find('military'))!,
        organization: 'Unit 7',
        csv: 'email,first_name,last_name,subgroup\nsam@unit7.example,Sam,Smith,Veteran\n',
      },
      operator,
    );
    expect(await admin.removeRoster(roster.rosterId, operator)).toBe(true);
    const registry = await admin.addRegistry(
      {
        id: randomIds.uuid(),
        community: (await communities.find('military'))!,
        name: 'Registry',
        urlTemplate: 'https://registry.example/members/{member_id}',
        authHeader: 'X-Api-Key: secret-key-value',
        mapping: { verifiedPath: 'status', verifiedValues: ['active'], defaultSubgroup: 'Veteran' },
        timeoutMs: 1000,
        retries: 0,
        createdAt: new Date(),
      },
      operator,
    );
    await admin.setRegistryEnabled(registry.id, false, operator);
    await admin.removeRegistry(registry.id, operator);
    const events = (await audit.list({ limit: 50 })).map((event) => event.event).reverse();
    expect(events).toEqual([
      'community.updated',
      'email_domain_rule.added',
      'email_domain_rule.removed',
      'roster.imported',
      'roster.removed',
      'registry_source.added',
      'registry_source.disabled',
      'registry_source.removed',
    ]);
    expect(JSON.stringify(await audit.list({ limit: 50 }))).not.toContain('secret-key-value');
    await expect(admin.updateCommunity('pirates', { validityDays: 1 }, operator)).rejects.toMatchObject({
      code: 'verification.unknown_community',
    });
  });
});
