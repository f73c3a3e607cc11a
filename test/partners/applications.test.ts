import { beforeAll, expect, it } from 'vitest';
import { createAuditRepository } from '../../src/audit/audit-repository.ts';
import { createAuditService } from '../../src/audit/audit-service.ts';
import { createTokenHasher } from '../../src/keys/token-hasher.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { randomIds } from '../../src/lib/ids.ts';
import { createApplicationRepository } from '../../src/partners/application-repository.ts';
import { createApplicationService } from '../../src/partners/application-service.ts';
import type { Database } from '../../src/storage/database.ts';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../helpers/databases.ts';
import { randomBytes } from 'node:crypto';

describeEachDatabase('applications', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;
  let service: ReturnType<typeof createApplicationService>;
  const clock = createManualClock();

  beforeAll(async () => {
    database = await databases.fresh();
    service = createApplicationService({
      repository: createApplicationRepository(database.db),
      hasher: createTokenHasher(randomBytes(32)),
      clock,
      ids: randomIds,
      audit: createAuditService({ repository: createAuditRepository(database.db), clock, ids: randomIds }),
      knownScopes: () => Promise.resolve(new Set(['openid', 'profile', 'email', 'military', 'student'])),
      cacheMs: 0,
      // The provider's judgement is tested over HTTP (test/http/client-validation.test.ts).
      validateClientMetadata: () => Promise.resolve([]),
    });
  });

  it('creates a sandbox app with a 256-bit secret shown once and stored only as an HMAC', async () => {
    const { application, clientSecret } = await service.create(
      { name: '  Shop  ', redirectUris: ['https://shop.example/cb'], scopes: ['military', 'military'] },
      { type: 'operator' },
    );
    expect(application).toMatchObject({
      name: 'Shop',
      mode: 'sandbox',
      status: 'active',
      clientType: 'confidential',
    });
    expect(application.allowedScopes).toEqual(['military']);
    expect(application.responseTypes).toEqual(['code']);
    expect(Buffer.from(clientSecret ?? '', 'base64url')).toHaveLength(32);
    const rows = await database.db.selectFrom('application_secrets').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(clientSecret);
    expect(await service.verifySecret(application, clientSecret ?? '')).toBe(true);
    expect(await service.verifySecret(application, `${clientSecret ?? ''}x`)).toBe(false);
  });

  it('gives public apps no secret, and normalises response types', async () => {
    const { application, clientSecret } = await service.create(
      {
        name: 'App',
        redirectUris: ['com.example.app:/cb'],
        scopes: ['student'],
        clientType: 'public',
        responseTypes: ['token code', 'token'],
      },
      { type: 'operator' },
    );
    expect(clientSecret).toBeUndefined();
    expect(application.responseTypes).toEqual(['code token', 'token']);
  });

  it('refuses unknown scopes, no scopes, no redirect URI, a bad name and unknown response types', async () => {
    const base = { name: 'X', redirectUris: ['https://x.example/cb'], scopes: ['military'] };
    const cases: [Partial<typeof base> & { responseTypes?: string[] }, string][] = [
      [{ scopes: ['pirates'] }, 'partners.scope_unknown'],
      [{ scopes: [' '] }, 'partners.scopes_required'],
      [{ redirectUris: [] }, 'partners.redirect_uri_required'],
      [{ name: '' }, 'partners.name_invalid'],
      [{ responseTypes: ['code foo'] }, 'partners.response_type_invalid'],
    ];
    for (const [override, code] of cases) {
      await expect(service.create({ ...base, ...override }, { type: 'operator' })).rejects.toMatchObject({
        code,
        status: 400,
      });
    }
  });
});
