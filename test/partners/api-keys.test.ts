import { randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { createAuditRepository } from '../../src/audit/audit-repository.ts';
import { createAuditService, type Actor } from '../../src/audit/audit-service.ts';
import { createTokenHasher } from '../../src/keys/token-hasher.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { randomIds } from '../../src/lib/ids.ts';
import { createApiKeyRepository } from '../../src/partners/api-key-repository.ts';
import { createApiKeyService, type ApiKeyService } from '../../src/partners/api-keys.ts';
import { createOrganizationRepository } from '../../src/partners/organization-repository.ts';
import { createOrganizationService, type OrganizationService } from '../../src/partners/organizations.ts';
import type { Database } from '../../src/storage/database.ts';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../helpers/databases.ts';
import { insertTestUser } from '../helpers/users.ts';

const user = (id: string): Actor => ({ type: 'user', id });

describeEachDatabase('organization API keys', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  const clock = createManualClock();
  let database: Database;
  let organizations: OrganizationService;
  let apiKeys: ApiKeyService;

  async function organization() {
    const owner = await insertTestUser(database.db);
    const created = await organizations.create({ name: 'Acme', ownerUserId: owner }, user(owner));
    return { id: created.id, owner };
  }

  const lastUsedAt = async (id: string) =>
    (
      await database.db
        .selectFrom('api_keys')
        .select('last_used_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).last_used_at;

  beforeAll(async () => {
    database = await databases.fresh();
    const audit = createAuditService({
      repository: createAuditRepository(database.db),
      clock,
      ids: randomIds,
    });
    organizations = createOrganizationService({
      repository: createOrganizationRepository(database.db),
      audit,
      clock,
      ids: randomIds,
      mailer: { send: () => Promise.resolve() },
      hasher: createTokenHasher(randomBytes(32), 'organization-invitations'),
      baseUrl: 'https://vetted.example',
    });
    apiKeys = createApiKeyService({
      repository: createApiKeyRepository(database.db),
      organizations,
      hasher: createTokenHasher(randomBytes(32), 'api-keys'),
      audit,
      clock,
      ids: randomIds,
    });
  });

  it('shows the key once, stores only its HMAC, and authenticates it', async () => {
    const org = await organization();
    const { apiKey, key } = await apiKeys.create(
      org.id,
      { name: ' CI ', scopes: ['applications:read', 'applications:read', 'organization:write'] },
      user(org.owner),
    );
    expect(key).toMatch(/^vtd_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(4), 'base64url')).toHaveLength(32);
    expect(apiKey).toMatchObject({
      name: 'CI',
      scopes: ['applications:read', 'organization:write'],
      createdBy: org.owner,
    });

    const row = await database.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', apiKey.id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(key.slice(4));

    const listed = await apiKeys.list(org.id);
    expect(listed).toEqual([apiKey]);
    expect(JSON.stringify(listed)).not.toContain(row.key_hash);

    expect(await apiKeys.authenticate(key)).toEqual({
      key: {
        id: apiKey.id,
        organizationId: org.id,
        name: 'CI',
        scopes: ['applications:read', 'organization:write'],
        createdBy: org.owner,
      },
    });
    for (const wrong of [
      // Another last character (a 43-character key's last one carries 4 bits: A, E, I, …).
      `${key.slice(0, -1)}${key.endsWith('A') ? 'E' : 'A'}`,
      key.slice(4),
      `vtd_${randomBytes(32).toString('base64url')}`,
      '',
    ]) {
      expect(await apiKeys.authenticate(wrong)).toBeUndefined();
    }
  });

  it('records the last use at most once a minute', async () => {
    const org = await organization();
    const { apiKey, key } = await apiKeys.create(
      org.id,
      { name: 'k', scopes: ['organization:read'] },
      user(org.owner),
    );
    expect(await lastUsedAt(apiKey.id)).toBeNull();
    const first = clock.now().getTime();
    await apiKeys.authenticate(key);
    expect(await lastUsedAt(apiKey.id)).toBe(first);
    clock.advance(30_000);
    await apiKeys.authenticate(key);
    expect(await lastUsedAt(apiKey.id)).toBe(first);
    clock.advance(30_000);
    await apiKeys.authenticate(key);
    expect(await lastUsedAt(apiKey.id)).toBe(first + 60_000);
  });

  it('never authenticates a revoked key', async () => {
    const org = await organization();
    const { apiKey, key } = await apiKeys.create(
      org.id,
      { name: 'k', scopes: ['applications:write'] },
      user(org.owner),
    );
    await apiKeys.revoke(org.id, apiKey.id, user(org.owner));
    expect(await apiKeys.authenticate(key)).toBeUndefined();
    const [listed] = await apiKeys.list(org.id);
    expect(listed?.revokedAt).toBeInstanceOf(Date);
    // Revoking again changes nothing and is not an error.
    await apiKeys.revoke(org.id, apiKey.id, user(org.owner));
    const events = await database.db
      .selectFrom('audit_events')
      .select('event')
      .where('subject_id', '=', org.id)
      .where('event', 'like', 'api_key.%')
      .execute();
    expect(events.map((e) => e.event).sort()).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it('validates the name and the scopes', async () => {
    const org = await organization();
    const cases: [{ name: string; scopes: string[] }, string][] = [
      [{ name: 'k', scopes: [] }, 'partners.api_key_scopes_required'],
      [{ name: 'k', scopes: [' '] }, 'partners.api_key_scopes_required'],
      [{ name: 'k', scopes: ['applications:read', 'admin'] }, 'partners.api_key_scope_unknown'],
      [{ name: ' ', scopes: ['organization:read'] }, 'partners.api_key_name_invalid'],
      [{ name: 'x'.repeat(101), scopes: ['organization:read'] }, 'partners.api_key_name_invalid'],
    ];
    for (const [input, code] of cases) {
      await expect(apiKeys.create(org.id, input, user(org.owner))).rejects.toMatchObject({
        code,
        status: 400,
      });
    }
    expect(await apiKeys.list(org.id)).toEqual([]);
  });

  it('needs the admin role to create or revoke, and hides other organizations', async () => {
    const org = await organization();
    const other = await organization();
    const { apiKey } = await apiKeys.create(
      org.id,
      { name: 'k', scopes: ['organization:read'] },
      user(org.owner),
    );
    const { apiKey: otherKey } = await apiKeys.create(
      other.id,
      { name: 'k', scopes: ['organization:read'] },
      { type: 'operator' },
    );
    expect(otherKey.createdBy).toBeNull();

    const developer = await insertTestUser(database.db);
    await database.db
      .insertInto('organization_members')
      .values({ organization_id: org.id, user_id: developer, role: 'developer', created_at: 0 })
      .execute();
    const input = { name: 'k', scopes: ['organization:read'] };
    await expect(apiKeys.create(org.id, input, user(developer))).rejects.toMatchObject({
      code: 'partners.forbidden',
    });
    await expect(apiKeys.revoke(org.id, apiKey.id, user(developer))).rejects.toMatchObject({
      code: 'partners.forbidden',
    });

    // The other organization's owner is not a member here; and this organization has no key of the other.
    await expect(apiKeys.create(org.id, input, user(other.owner))).rejects.toMatchObject({
      code: 'partners.organization_not_found',
    });
    await expect(apiKeys.revoke(org.id, otherKey.id, user(org.owner))).rejects.toMatchObject({
      code: 'partners.api_key_not_found',
      status: 404,
    });
    await expect(apiKeys.revoke(org.id, otherKey.id, { type: 'operator' })).rejects.toMatchObject({
      code: 'partners.api_key_not_found',
    });
    expect((await apiKeys.list(other.id))[0]?.revokedAt).toBeNull();
  });
});
