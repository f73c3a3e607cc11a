import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountAdmin, type AccountAdmin } from '../../src/accounts/account-admin.ts';
import { createUserRepository } from '../../src/accounts/user-repository.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import type { Services } from '../../src/services.ts';
import { createDatabaseBlobStore, createLocalBlobStore, type BlobStore } from '../../src/storage/blobs.ts';
import type { Database } from '../../src/storage/database.ts';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../helpers/databases.ts';
import { servicesOn } from '../helpers/services.ts';

const admin = { type: 'administrator' as const, id: 'admin-1' };
const origin = { ip: '203.0.113.9' };
const password = 'correct horse battery';

describeEachDatabase('account administration', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  const clock = createManualClock();
  let services: Services;
  let db: Database['db'];
  let accountAdmin: AccountAdmin;
  /** The blob store under the encryption: whether a key is still stored. */
  let rawBlobs: BlobStore;
  let counter = 0;

  beforeAll(async () => {
    const database = await databases.fresh();
    db = database.db;
    services = servicesOn(database, clock);
    // As services.ts wires it.
    accountAdmin = createAccountAdmin({
      users: createUserRepository(db),
      endWebSessions: (userId) => services.webSessions.destroyForUser(userId),
      consents: services.consents,
      destroyOidcModels: (accountId) => services.oidcModels.destroyAllForAccount(accountId),
      verifications: services.verification,
      deleteDocumentsOfUser: (userId) => services.documents.deleteForUser(userId),
      organizations: services.organizations,
      audit: services.audit,
      clock,
    });
    const store = services.config.blobStore;
    rawBlobs = store.kind === 'local' ? createLocalBlobStore(store.folder) : createDatabaseBlobStore(db);
  });

  async function newUser(names: { firstName?: string; lastName?: string } = {}) {
    counter += 1;
    const email = `Person${counter}.${Date.now()}@Example.com`;
    const user = await services.accounts.createByOperator({
      email,
      password,
      firstName: names.firstName ?? 'Sean',
      lastName: names.lastName ?? 'Moen',
    });
    return { ...user, email };
  }

  /** A consent with its grant and an access token, and a session of oidc-provider, as the adapter stores them. */
  async function signedInToApp(userId: string, clientId: string) {
    const suffix = `${userId}-${clientId}`;
    await services.oidcModels.upsert(
      'Grant',
      `grant-${suffix}`,
      {
        kind: 'Grant',
        jti: `grant-${suffix}`,
        accountId: userId,
        clientId,
        openid: { scope: 'openid email' },
      },
      null,
    );
    await services.oidcModels.saveConsent(userId, clientId, `grant-${suffix}`, clock.now().getTime());
    await services.oidcModels.upsert(
      'AccessToken',
      `token-${suffix}`,
      {
        kind: 'AccessToken',
        jti: `token-${suffix}`,
        accountId: userId,
        clientId,
        grantId: `grant-${suffix}`,
      },
      null,
    );
    await services.oidcModels.upsert(
      'Session',
      `session-${suffix}`,
      { kind: 'Session', jti: `session-${suffix}`, uid: `uid-${suffix}`, accountId: userId },
      null,
    );
    return { grant: `grant-${suffix}`, token: `token-${suffix}`, session: `session-${suffix}` };
  }

  const stored = async (model: string, id: string) =>
    (await services.oidcModels.find(model, 'id', id)) !== undefined;

  async function submitDocument(user: { id: string; email: string; firstName: string; lastName: string }) {
    const front = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#c0c8d0' } })
      .png()
      .toBuffer();
    return services.engine.submitDocument({
      person: {
        userId: user.id,
        email: user.email,
        emailVerified: true,
        firstName: user.firstName,
        lastName: user.lastName,
        testPersona: null,
      },
      community: (await services.communities.find('military'))!,
      subgroup: 'Veteran',
      documentType: 'dd214',
      front,
      ip: '203.0.113.7',
    });
  }

  describe('search', () => {
    it('finds by email or name, case-insensitively, newest first, with LIKE wildcards taken literally', async () => {
      const older = await newUser({ firstName: 'Zelda', lastName: 'Quarterback' });
      clock.advance(1000);
      const newer = await newUser({ firstName: 'zeldA', lastName: 'O_Neil' });
      const byName = await accountAdmin.search({ query: '  ZELDA ', limit: 10, offset: 0 });
      expect(byName.items.map((user) => user.id)).toEqual([newer.id, older.id]);
      expect(byName.total).toBe(2);
      const fullName = await accountAdmin.search({ query: 'zelda quarter', limit: 10, offset: 0 });
      expect(fullName.items.map((user) => user.id)).toEqual([older.id]);
      const byEmail = await accountAdmin.search({ query: older.email.toUpperCase(), limit: 10, offset: 0 });
      expect(byEmail.items.map((user) => user.id)).toEqual([older.id]);
      expect((await accountAdmin.search({ query: 'o_n', limit: 10, offset: 0 })).items).toHaveLength(1);
      expect((await accountAdmin.search({ query: 'zel%', limit: 10, offset: 0 })).total).toBe(0);
      expect((await accountAdmin.search({ query: '_', limit: 10, offset: 0 })).total).toBe(1);
      const page = await accountAdmin.search({ query: 'zelda', limit: 1, offset: 1 });
      expect(page).toMatchObject({ total: 2, items: [{ id: older.id }] });
    });
  });

  describe('lock', () => {
    it('refuses sign-in only to the right password, ends sessions and grants; unlock restores sign-in', async () => {
      const user = await newUser();
      const other = await newUser();
      const models = await signedInToApp(user.id, 'client-a');
      const othersModels = await signedInToApp(other.id, 'client-a');
      const { token: webToken } = await services.webSessions.create(user.id);

      await expect(accountAdmin.lock(user.id, '   ', admin)).rejects.toMatchObject({
        code: 'accounts.invalid_input',
      });
      const locked = await accountAdmin.lock(user.id, 'Chargeback fraud', admin, origin);
      expect(locked).toMatchObject({ lockedReason: 'Chargeback fraud', lockedAt: clock.now() });
      expect(await accountAdmin.isLocked(user.id)).toBe(true);

      await expect(
        services.accounts.authenticate(user.email, 'wrong password', origin),
      ).rejects.toMatchObject({
        code: 'accounts.invalid_credentials',
      });
      await expect(services.accounts.authenticate(user.email, password, origin)).rejects.toMatchObject({
        code: 'accounts.locked',
        status: 403,
        message: 'This account is locked. Contact support.',
      });

      expect(await services.webSessions.resolve(webToken)).toBeUndefined();
      expect(await services.consents.connectedApps(user.id)).toEqual([]);
      for (const [model, id] of [
        ['Grant', models.grant],
        ['AccessToken', models.token],
        ['Session', models.session],
      ] as const) {
        expect(await stored(model, id)).toBe(false);
      }
      // Nobody else's.
      expect(await stored('Session', othersModels.session)).toBe(true);
      expect(await stored('AccessToken', othersModels.token)).toBe(true);
      expect(await services.consents.connectedApps(other.id)).toHaveLength(1);

      expect(await accountAdmin.unlock(user.id, admin)).toBe(true);
      expect(await accountAdmin.unlock(user.id, admin)).toBe(false);
      expect(await accountAdmin.isLocked(user.id)).toBe(false);
      expect((await services.accounts.authenticate(user.email, password, origin)).id).toBe(user.id);

      const events = (await services.audit.list({ subjectType: 'user', subjectId: user.id, limit: 50 })).map(
        (event) => event.event,
      );
      expect(events).toEqual(expect.arrayContaining(['user.locked', 'user.unlocked', 'consent.revoked']));
    });
  });

  describe('remove', () => {
    it('deletes verifications, document blobs, grants, sessions and the row, and audits only the id', async () => {
      const user = await newUser();
      await services.verification.attest({
        userId: user.id,
        community: 'military',
        subgroups: ['Veteran'],
        method: 'operator',
      });
      const submitted = await submitDocument(user);
      const documents = await services.documents.listForVerification(submitted.id);
      expect(documents).toHaveLength(1);
      const blobKey = documents[0]!.id;
      expect(await rawBlobs.get(blobKey)).toBeDefined();
      const models = await signedInToApp(user.id, 'client-b');
      const { token: webToken } = await services.webSessions.create(user.id);

      await accountAdmin.remove(user.id, admin, origin);

      expect(await accountAdmin.find(user.id)).toBeUndefined();
      expect(await services.accounts.findByEmail(user.email)).toBeUndefined();
      expect(await services.verification.listForUser(user.id)).toEqual([]);
      expect(await services.documents.findById(blobKey)).toBeUndefined();
      expect(await rawBlobs.get(blobKey)).toBeUndefined();
      expect(await services.webSessions.resolve(webToken)).toBeUndefined();
      expect(await stored('Session', models.session)).toBe(false);
      expect(await stored('AccessToken', models.token)).toBe(false);
      expect(await db.selectFrom('consents').selectAll().where('account_id', '=', user.id).execute()).toEqual(
        [],
      );

      const [deleted] = await services.audit.list({ subjectType: 'user', subjectId: user.id, limit: 1 });
      expect(deleted).toMatchObject({ event: 'user.deleted', actorType: 'administrator' });
      expect(JSON.stringify(deleted?.data)).not.toContain(user.email.toLowerCase());
      await expect(accountAdmin.remove(user.id, admin)).rejects.toMatchObject({
        code: 'accounts.user_not_found',
      });
    });

    it("refuses to delete an organization's only owner, naming the organization", async () => {
      const user = await newUser();
      await services.organizations.create({ name: 'Shop Inc', ownerUserId: user.id }, { type: 'operator' });
      await expect(accountAdmin.remove(user.id, admin)).rejects.toMatchObject({
        code: 'accounts.last_owner',
        status: 409,
        message: expect.stringContaining('Shop Inc') as unknown,
      });
      expect(await accountAdmin.find(user.id)).toBeDefined();
    });
  });
});
