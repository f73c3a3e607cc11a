import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.ts';
import type { Application } from '../../src/partners/application.ts';
import type { ApplicationChanges } from '../../src/partners/application-settings.ts';
import type { Services } from '../../src/services.ts';
import type { Database } from '../../src/storage/database.ts';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../helpers/databases.ts';
import { servicesOn } from '../helpers/services.ts';
import { insertTestUser } from '../helpers/users.ts';

const HOUR = 3_600_000;

const samplePng = () =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: '#224488' } })
    .png()
    .toBuffer();
const partner = { type: 'user' as const, id: 'developer-1' };
const admin = { type: 'administrator' as const, id: 'admin-1' };

describeEachDatabase('application lifecycle', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  const clock = createManualClock();
  let services: Services;
  let db: Database['db'];

  beforeAll(async () => {
    const database = await databases.fresh();
    db = database.db;
    services = servicesOn(database, clock);
  });

  async function orgApp(input: Partial<Parameters<Services['applications']['create']>[0]> = {}) {
    const organization = await services.organizations.create(
      { name: 'Shop Inc', ownerUserId: await insertTestUser(db) },
      { type: 'operator' },
    );
    return services.applications.create(
      {
        name: 'Shop',
        redirectUris: ['http://localhost:3000/callback'],
        scopes: ['openid'],
        requestedScopes: ['military'],
        organizationId: organization.id,
        ...input,
      },
      partner,
    );
  }

  const auditOf = async (clientId: string) =>
    (await services.audit.list({ subjectType: 'application', subjectId: clientId, limit: 50 })).map(
      (event) => event.event,
    );

  describe('partner changes', () => {
    it('validates every field, keeps the rest, and audits which fields changed', async () => {
      const { application } = await orgApp();
      const updated = await services.applications.update(
        application.clientId,
        {
          displayName: '  Shop & Co <b>  ',
          redirectUris: ['http://localhost:3000/callback', 'http://127.0.0.1:3000/cb'],
          privacyPolicyUrl: 'https://shop.example/privacy',
          termsUrl: 'https://shop.example/terms',
          primaryColor: '#AA3300',
        },
        partner,
      );
      expect(updated).toMatchObject({
        name: 'Shop',
        displayName: 'Shop & Co <b>',
        primaryColor: '#aa3300',
        redirectUris: ['http://localhost:3000/callback', 'http://127.0.0.1:3000/cb'],
      });
      expect(updated.updatedAt.getTime()).toBeGreaterThan(application.updatedAt.getTime());
      expect(await services.applications.get(application.clientId)).toEqual(updated);
      expect(await auditOf(application.clientId)).toContain('application.updated');

      const cases: [ApplicationChanges, string][] = [
        [{ name: '' }, 'partners.name_invalid'],
        [{ redirectUris: [] }, 'partners.redirect_uri_required'],
        [{ redirectUris: ['https://shop.example/cb#frag'] }, 'partners.redirect_uri_invalid'],
        [{ privacyPolicyUrl: 'javascript:alert(1)' }, 'partners.url_invalid'],
        [{ termsUrl: 'http://shop.example/terms' }, 'partners.url_invalid'],
        [{ primaryColor: 'red' }, 'partners.color_invalid'],
        [{ responseTypes: ['code token'] }, 'partners.implicit_not_enabled'],
        [{ requestedScopes: ['wizards'] }, 'partners.scope_unknown'],
        [{ releasedAttributes: ['branch'] }, 'partners.attribute_unavailable'],
      ];
      for (const [changes, code] of cases) {
        await expect(
          services.applications.update(application.clientId, changes, partner),
          JSON.stringify(changes),
        ).rejects.toMatchObject({ code, status: 400 });
      }
      expect(await services.applications.get(application.clientId)).toEqual(updated);
    });

    it('refuses to overwrite a change made since the editor read the application', async () => {
      const { application } = await orgApp();
      await services.applications.update(
        application.clientId,
        { name: 'First' },
        partner,
        application.updatedAt,
      );
      await expect(
        services.applications.update(
          application.clientId,
          { name: 'Second' },
          partner,
          application.updatedAt,
        ),
      ).rejects.toMatchObject({ code: 'partners.conflict', status: 409 });
      expect((await services.applications.get(application.clientId)).name).toBe('First');
    });

    it('offers the attributes of the communities an administrator enabled', async () => {
      const { application } = await orgApp();
      await services.applications.setFeatures(
        application.clientId,
        { allowedScopes: ['openid', 'military'] },
        admin,
      );
      const updated = await services.applications.update(
        application.clientId,
        { releasedAttributes: ['age'] },
        partner,
      );
      expect(updated.releasedAttributes).toEqual(['age']);
    });
  });

  describe('search', () => {
    it("finds an organization's applications by name or client id, wildcards taken literally", async () => {
      const { application: literal } = await orgApp({ name: 'Shop_100%' });
      const organizationId = literal.organizationId ?? '';
      clock.advance(1000);
      await services.applications.create(
        { name: 'ShopX100', redirectUris: ['https://x.example/cb'], scopes: ['openid'], organizationId },
        partner,
      );
      const found = await services.applications.search({
        organizationId,
        query: 'shop_100%',
        limit: 10,
        offset: 0,
      });
      expect(found.items.map((app) => app.name)).toEqual(['Shop_100%']);
      const byId = await services.applications.search({ query: literal.clientId, limit: 10, offset: 0 });
      expect(byId.items.map((app) => app.clientId)).toEqual([literal.clientId]);
      const all = await services.applications.search({ organizationId, limit: 1, offset: 0 });
      expect(all).toMatchObject({ total: 2, items: [expect.objectContaining({ name: 'ShopX100' })] });
    });
  });

  describe('administrator features', () => {
    it('enables the implicit flow before front-channel response types, and removes them with it', async () => {
      const { application } = await orgApp();
      const enabled = await services.applications.setFeatures(
        application.clientId,
        {
          implicitFlow: true,
          userinfoSignedResponseAlg: 'RS256',
          singleUseAccessTokens: true,
          accessTokenTtl: 600,
        },
        admin,
      );
      expect(enabled).toMatchObject({ implicitFlow: true, singleUseAccessTokens: true, accessTokenTtl: 600 });
      const hybrid = await services.applications.update(
        application.clientId,
        { responseTypes: ['code', 'code id_token'] },
        partner,
      );
      expect(hybrid.responseTypes).toEqual(['code', 'code id_token']);
      const disabled = await services.applications.setFeatures(
        application.clientId,
        { implicitFlow: false },
        admin,
      );
      expect(disabled.responseTypes).toEqual(['code']);
      await expect(
        services.applications.setFeatures(application.clientId, { accessTokenTtl: 5 }, admin),
      ).rejects.toMatchObject({ code: 'partners.lifetime_invalid' });
      await expect(
        services.applications.setFeatures(application.clientId, { allowedScopes: [] }, admin),
      ).rejects.toMatchObject({ code: 'partners.scopes_required' });
      expect(await auditOf(application.clientId)).toContain('application.features_changed');
    });

    it("refuses an organization's application front-channel types at creation unless enabled", async () => {
      await expect(orgApp({ responseTypes: ['id_token'] })).rejects.toMatchObject({
        code: 'partners.implicit_not_enabled',
      });
    });
  });

  describe('secret rotation', () => {
    it('keeps the old secret for the overlap window, then only the new one works; at most two live', async () => {
      const { application, clientSecret } = await orgApp();
      const first = clientSecret ?? '';
      const { clientSecret: second, secrets } = await services.applications.rotateSecret(
        application.clientId,
        { overlapSeconds: 2 * 3600 },
        partner,
      );
      expect(second).not.toBe(first);
      expect(secrets).toHaveLength(2);
      expect(secrets[1]?.expiresAt?.getTime()).toBe(clock.now().getTime() + 2 * HOUR);
      const verify = async (secret: string) =>
        services.applications.verifySecret(await services.applications.get(application.clientId), secret);
      expect(await verify(first)).toBe(true);
      expect(await verify(second)).toBe(true);
      expect(await verify('not-a-secret')).toBe(false);

      clock.advance(2 * HOUR - 1);
      expect(await verify(first)).toBe(true);
      clock.advance(1);
      expect(await verify(first)).toBe(false);
      expect(await verify(second)).toBe(true);

      // A rotation during an overlap ends the older secret at once: never three live.
      const { clientSecret: third } = await services.applications.rotateSecret(
        application.clientId,
        {},
        partner,
      );
      const { clientSecret: fourth, secrets: live } = await services.applications.rotateSecret(
        application.clientId,
        {},
        partner,
      );
      expect(live).toHaveLength(2);
      expect(await verify(second)).toBe(false);
      expect(await verify(third)).toBe(true);
      expect(await verify(fourth)).toBe(true);
      clock.advance(24 * HOUR);
      expect(await verify(third)).toBe(false);
      expect(await services.applications.secrets(application.clientId)).toHaveLength(1);
      expect(await auditOf(application.clientId)).toContain('application.secret_rotated');
    });

    it('refuses an overlap outside 0 to 7 days and public clients', async () => {
      const { application } = await orgApp();
      for (const overlapSeconds of [-1, 7 * 24 * 3600 + 1, 1.5]) {
        await expect(
          services.applications.rotateSecret(application.clientId, { overlapSeconds }, partner),
        ).rejects.toMatchObject({ code: 'partners.overlap_invalid' });
      }
      const { application: spa } = await orgApp({ clientType: 'public' });
      await expect(services.applications.rotateSecret(spa.clientId, {}, partner)).rejects.toMatchObject({
        code: 'partners.public_client',
      });
    });
  });

  describe('test users', () => {
    it('lists ready-made personas of enabled communities, creates more, and lets only testers in', async () => {
      const { application } = await orgApp();
      await services.applications.setFeatures(
        application.clientId,
        { allowedScopes: ['openid', 'military'] },
        admin,
      );
      const personas = await services.testUsers.readyPersonas(application.clientId);
      expect(personas.map((persona) => persona.outcome)).toEqual(['pass', 'review', 'reject', 'expired']);
      expect(personas[0]).toMatchObject({
        email: 'military.pass@sandbox.vetted.test',
        community: 'military',
      });
      expect(await services.testUsers.readyPersonas(application.clientId)).toEqual(personas);

      const created = await services.testUsers.create(
        application.clientId,
        { community: 'military', outcome: 'review' },
        partner,
      );
      expect(created.email).toMatch(/^military\.review\.[0-9a-f]{8}@sandbox\.vetted\.test$/);
      expect(created.password.length).toBeGreaterThanOrEqual(16);
      await expect(
        services.testUsers.create(application.clientId, { community: 'student', outcome: 'pass' }, partner),
      ).rejects.toMatchObject({ code: 'partners.community_not_enabled' });

      const developer = await services.accounts.createByOperator({
        email: `dev.${Date.now()}@shop.example`,
        password: 'correct horse battery',
        firstName: 'Dev',
        lastName: 'Eloper',
      });
      expect(await services.testUsers.isTester(developer.id, application.clientId)).toBe(false);
      clock.advance(1000);
      // An existing account is invited (test-invitations.ts); it is a test user only once its owner accepts.
      await services.testInvitations.invite(application.clientId, developer.email, partner);
      expect(await services.testUsers.isTester(developer.id, application.clientId)).toBe(false);
      expect((await services.testUsers.list(application.clientId)).map((user) => user.email)).toEqual([
        created.email,
      ]);
      await services.testUsers.remove(application.clientId, created.userId, partner);
      expect(await services.testUsers.list(application.clientId)).toEqual([]);
    });
  });

  describe('production requests', () => {
    async function readyApp(): Promise<Application> {
      const { application } = await orgApp({ redirectUris: ['https://shop.example/callback'] });
      await services.applications.update(
        application.clientId,
        { privacyPolicyUrl: 'https://shop.example/privacy', termsUrl: 'https://shop.example/terms' },
        partner,
      );
      await services.applicationLogos.upload(application.clientId, await samplePng(), partner);
      await services.applications.markAuthorized(application.clientId);
      return services.applications.get(application.clientId);
    }

    it('asks for the checklist first', async () => {
      const { application } = await orgApp({ redirectUris: ['http://shop.example/callback'] });
      const checklist = await services.productionRequests.checklist(application.clientId);
      expect(checklist.map((item) => [item.key, item.done])).toEqual([
        ['redirect_uris', false],
        ['branding', false],
        ['policies', false],
        ['sandbox_authorization', false],
      ]);
      await expect(services.productionRequests.request(application.clientId, partner)).rejects.toMatchObject({
        code: 'partners.checklist_incomplete',
      });
    });

    it('queues one request per application; an approval moves it to production', async () => {
      const application = await readyApp();
      const request = await services.productionRequests.request(application.clientId, partner);
      expect(request).toMatchObject({ status: 'pending', clientId: application.clientId });
      await expect(services.productionRequests.request(application.clientId, partner)).rejects.toMatchObject({
        code: 'partners.production_request_pending',
        status: 409,
      });
      const queue = await services.productionRequests.queue({ limit: 100, offset: 0 });
      expect(queue.items.map((item) => item.id)).toContain(request.id);

      await services.productionRequests.approve(request.id, { note: 'Looks good' }, admin);
      expect((await services.applications.get(application.clientId)).mode).toBe('production');
      await expect(services.productionRequests.approve(request.id, {}, admin)).rejects.toMatchObject({
        code: 'partners.production_request_not_found',
      });
      await expect(services.productionRequests.request(application.clientId, partner)).rejects.toMatchObject({
        code: 'partners.already_production',
      });
      expect(await auditOf(application.clientId)).toEqual(
        expect.arrayContaining(['application.production_requested', 'application.production_approved']),
      );
    });

    it('declines only with a note; the application may ask again', async () => {
      const application = await readyApp();
      const request = await services.productionRequests.request(application.clientId, partner);
      await expect(
        services.productionRequests.decline(request.id, { note: '  ' }, admin),
      ).rejects.toMatchObject({
        code: 'partners.note_invalid',
      });
      await services.productionRequests.decline(request.id, { note: 'The logo is blurry.' }, admin);
      expect((await services.applications.get(application.clientId)).mode).toBe('sandbox');
      const [latest] = await services.productionRequests.history(application.clientId);
      expect(latest).toMatchObject({ status: 'declined', note: 'The logo is blurry.', decidedBy: 'admin-1' });
      await services.productionRequests.request(application.clientId, partner);
    });
  });

  describe('deletion', () => {
    it('deletes the application with its secrets and test users, and audits it', async () => {
      const { application } = await orgApp();
      await services.applications.remove(application.clientId, partner);
      await expect(services.applications.get(application.clientId)).rejects.toMatchObject({
        code: 'partners.application_not_found',
        status: 404,
      });
      expect(await auditOf(application.clientId)).toContain('application.deleted');
    });
  });
});
