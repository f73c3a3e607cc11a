import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/audit/audit-service.ts';
import {
  authorizeDirect,
  Browser,
  csrfToken,
  formAction,
  registerUser,
  startOidcServer,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** The administrator console over HTTP: who may enter, applications, organizations, production, audit. */
describe('administrator console', () => {
  let server: TestServer;
  let admin: TestUser;
  let owner: TestUser;
  let organizationId: string;
  let browser: Browser;
  const operator: Actor = { type: 'operator' };

  beforeAll(async () => {
    server = await startOidcServer();
    admin = await registerUser(server);
    await server.services.roles.grant(admin.id, 'admin', operator);
    owner = await registerUser(server);
    const organization = await server.services.organizations.create(
      { name: 'Shop & Co', ownerUserId: owner.id },
      operator,
    );
    organizationId = organization.id;
    browser = await signedIn(admin);
  });
  afterAll(() => server.stop());

  const url = (path: string) => new URL(path, server.config.baseUrl);

  async function signedIn(user: TestUser): Promise<Browser> {
    const signer = new Browser();
    const page = await (await signer.request(url('/account/sign-in'))).text();
    const response = await signer.request(url('/account/sign-in?next=/admin'), {
      form: { _csrf: csrfToken(page), email: user.email, password: user.password },
    });
    expect(response.status).toBe(303);
    return signer;
  }

  async function sandboxApp(name: string, redirectUris = ['https://shop.example/cb']) {
    const { application } = await server.services.applications.create(
      {
        name,
        organizationId,
        mode: 'sandbox',
        scopes: ['openid'],
        requestedScopes: ['military'],
        redirectUris,
      },
      { type: 'user', id: owner.id },
    );
    return application;
  }

  async function page(path: string): Promise<string> {
    const response = await browser.request(url(path));
    expect(response.status).toBe(200);
    return response.text();
  }

  /** Posts a form as the browser does (repeated names for checkboxes), from the page it is on. */
  async function post(action: string, pageHtml: string, fields: [string, string][]): Promise<Response> {
    const body = new URLSearchParams([['_csrf', csrfToken(pageHtml)], ...fields]);
    return fetch(url(action), {
      method: 'POST',
      headers: {
        Accept: 'text/html',
        Cookie: browser.cookieHeader(),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: body.toString(),
      redirect: 'manual',
    });
  }

  /** A sandbox application that has everything the production checklist asks for, with its request. */
  async function readyForProduction(name: string) {
    const app = await sandboxApp(name);
    const actor: Actor = { type: 'user', id: owner.id };
    await server.services.applications.update(
      app.clientId,
      { privacyPolicyUrl: 'https://shop.example/privacy', termsUrl: 'https://shop.example/terms' },
      actor,
    );
    const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#2050a0' } })
      .png()
      .toBuffer();
    await server.services.applicationLogos.upload(app.clientId, png, actor);
    await server.services.applications.markAuthorized(app.clientId);
    const request = await server.services.productionRequests.request(app.clientId, actor);
    return { app, request };
  }

  it('sends visitors to sign in, refuses accounts without the administrator role, and is never cached', async () => {
    const anonymous = await new Browser().request(url('/admin/applications'));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/account/sign-in?next=%2Fadmin%2Fapplications');

    const member = await signedIn(await registerUser(server));
    for (const path of ['/admin', '/admin/applications', '/admin/audit', '/admin/production-requests']) {
      const refused = await member.request(url(path));
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('This area is for administrators');
    }
    // A reviewer is staff but not an administrator.
    const reviewer = await registerUser(server);
    await server.services.roles.grant(reviewer.id, 'reviewer', operator);
    expect((await (await signedIn(reviewer)).request(url('/admin'))).status).toBe(403);

    const overview = await browser.request(url('/admin'));
    expect(overview.status).toBe(200);
    expect(overview.headers.get('cache-control')).toBe('no-store');
    const html = await overview.text();
    for (const href of [
      '/admin/applications',
      '/admin/organizations',
      '/admin/users',
      '/admin/audit',
      '/review',
    ]) {
      expect(html).toContain(`href="${href}"`);
    }
  });

  it('finds applications by name and client ID, and escapes what partners named them', async () => {
    const app = await sandboxApp('Findable Widget Store');
    const hostile = await sandboxApp('<script>alert(1)</script>');

    const byName = await page('/admin/applications?q=findable');
    expect(byName).toContain(`href="/admin/applications/${app.clientId}"`);
    expect(byName).toContain('Findable Widget Store');
    expect(byName).toContain('Shop &amp; Co');
    expect(byName).not.toContain(hostile.clientId);

    const byClientId = await page(`/admin/applications?q=${hostile.clientId}`);
    expect(byClientId).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(byClientId).not.toContain('<script>alert(1)</script>');
    const details = await page(`/admin/applications/${hostile.clientId}`);
    expect(details).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(details).not.toContain('<script>alert(1)</script>');

    expect((await browser.request(url('/admin/applications/no-such-client'))).status).toBe(404);
  });

  it('enables a requested community and document passback from the features form', async () => {
    const app = await sandboxApp('Features Shop');
    const details = await page(`/admin/applications/${app.clientId}`);
    expect(details).toContain('requested by the partner');
    const action = formAction(details, '/features') ?? '';
    expect(action).toBe(`/admin/applications/${app.clientId}/features`);

    const saved = await post(action, details, [
      ['scopes', 'military'],
      ['scopes', 'student'],
      ['document_passback', 'on'],
      ['userinfo_alg', 'ES256'],
      ['id_token_alg', 'RS256'],
      ['access_token_ttl', '900'],
      ['refresh_token_ttl', ''],
      ['code_ttl', ''],
    ]);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/admin/applications/${app.clientId}?saved=features`);
    const after = await server.services.applications.get(app.clientId);
    expect(after.allowedScopes.sort()).toEqual(['military', 'openid', 'student']);
    expect(after.documentPassback).toBe(true);
    expect(after.implicitFlow).toBe(false);
    expect(after.userinfoSignedResponseAlg).toBe('ES256');
    expect(after.accessTokenTtl).toBe(900);
    expect(after.refreshTokenTtl).toBeNull();
    expect(await page(saved.headers.get('location') ?? '')).toContain('Communities and features saved.');

    const [event] = await server.services.audit.list({
      subjectType: 'application',
      subjectId: app.clientId,
      limit: 1,
    });
    expect(event).toMatchObject({
      event: 'application.features_changed',
      actorType: 'administrator',
      actorId: admin.id,
    });
  });

  it('shows an out-of-range lifetime at its field and keeps what was typed', async () => {
    const app = await sandboxApp('Lifetime Shop');
    const details = await page(`/admin/applications/${app.clientId}`);
    const refused = await post(`/admin/applications/${app.clientId}/features`, details, [
      ['scopes', 'military'],
      ['document_passback', 'on'],
      ['userinfo_alg', ''],
      ['id_token_alg', 'RS256'],
      ['access_token_ttl', '5'],
      ['refresh_token_ttl', 'soon'],
      ['code_ttl', '120'],
    ]);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('There is a problem');
    expect(html).toMatch(
      /id="field-access_token_ttl-error"[^>]*>\s*<span class="visually-hidden">Error: <\/span>The access token lifetime must be between 60 and 86400 seconds\./,
    );
    expect(html).toContain('id="field-refresh_token_ttl-error"');
    expect(html).not.toContain('id="field-code_ttl-error"');
    expect(html).toMatch(/name="access_token_ttl"[^>]*value="5"/);
    expect(html).toMatch(/name="code_ttl"[^>]*value="120"/);
    expect(html).toMatch(/name="scopes" value="military" checked/);
    expect(html).toMatch(/name="document_passback" value="on" checked/);
    // Nothing was saved.
    const after = await server.services.applications.get(app.clientId);
    expect(after.allowedScopes).toEqual(['openid']);
    expect(after.documentPassback).toBe(false);
    expect(after.codeTtl).toBeNull();
  });

  it('suspends an application (its authorization requests get unauthorized_client) and reactivates it', async () => {
    const app = await sandboxApp('Suspended Shop');
    const details = await page(`/admin/applications/${app.clientId}`);
    const action = formAction(details, '/status') ?? '';
    const suspended = await post(action, details, [['status', 'suspended']]);
    expect(suspended.status).toBe(303);
    expect((await server.services.applications.get(app.clientId)).status).toBe('suspended');
    const shown = await page(suspended.headers.get('location') ?? '');
    expect(shown).toContain('The application is suspended now.');
    expect(shown).toContain('Reactivate');

    const authorization = await authorizeDirect(server, {
      client_id: app.clientId,
      redirect_uri: 'https://shop.example/cb',
      response_type: 'code',
      scope: 'openid',
      state: 'st',
    });
    expect(authorization.params).toMatchObject({ error: 'unauthorized_client', state: 'st' });

    const reactivated = await post(action, shown, [['status', 'active']]);
    expect(reactivated.status).toBe(303);
    expect((await server.services.applications.get(app.clientId)).status).toBe('active');
    expect((await post(action, shown, [['status', 'deleted']])).status).toBe(400);
  });

  it('lists organizations by name and shows members and applications', async () => {
    const app = await sandboxApp('Organization Listed App');
    const list = await page('/admin/organizations?q=shop %26');
    expect(list).toContain(`href="/admin/organizations/${organizationId}"`);
    expect(list).toContain('Shop &amp; Co');
    expect(await page('/admin/organizations?q=nothing-like-it')).toContain('No organization matches.');
    // LIKE wildcards are taken literally.
    expect(await page('/admin/organizations?q=%25')).toContain('No organization matches.');

    const details = await page(`/admin/organizations/${organizationId}`);
    expect(details).toContain(owner.email);
    expect(details).toContain('owner');
    expect(details).toContain(`href="/admin/applications/${app.clientId}"`);
    expect((await browser.request(url('/admin/organizations/nope'))).status).toBe(404);
  });

  it('approves a production request from the queue: the application is in production', async () => {
    const { app, request } = await readyForProduction('Approved Shop');
    const queue = await page('/admin/production-requests');
    expect(queue).toContain('Approved Shop');
    expect(queue).toContain(`href="/admin/applications/${app.clientId}"`);
    expect(queue).toContain('A logo is uploaded');
    const action = formAction(queue, `/${request.id}/decision`) ?? '';
    const approved = await post(action, queue, [
      ['decision', 'approve'],
      [`note-${request.id}`, ''],
    ]);
    expect(approved.status).toBe(303);
    expect((await server.services.applications.get(app.clientId)).mode).toBe('production');
    expect(await page(approved.headers.get('location') ?? '')).toContain(
      'Approved Shop is in production now.',
    );
    expect((await server.services.productionRequests.find(request.id))?.status).toBe('approved');
  });

  it('declines only with a note, and shows an approval the application no longer qualifies for', async () => {
    const { app, request } = await readyForProduction('Declined Shop');
    const queue = await page('/admin/production-requests');
    const action = formAction(queue, `/${request.id}/decision`) ?? '';
    const noNote = await post(action, queue, [
      ['decision', 'decline'],
      [`note-${request.id}`, '  '],
    ]);
    expect(noNote.status).toBe(400);
    const refused = await noNote.text();
    expect(refused).toContain(`id="field-note-${request.id}-error"`);
    expect(refused).toContain('Say what to fix');
    expect((await server.services.productionRequests.find(request.id))?.status).toBe('pending');

    const declined = await post(action, refused, [
      ['decision', 'decline'],
      [`note-${request.id}`, 'The terms page is empty.'],
    ]);
    expect(declined.status).toBe(303);
    const decided = await server.services.productionRequests.find(request.id);
    expect(decided).toMatchObject({
      status: 'declined',
      note: 'The terms page is empty.',
      decidedBy: admin.id,
    });
    expect((await server.services.applications.get(app.clientId)).mode).toBe('sandbox');

    // The partner changed a redirect URI to plain http after asking: production refuses it.
    const { app: changed, request: second } = await readyForProduction('Changed Shop');
    await server.services.applications.update(
      changed.clientId,
      { redirectUris: ['http://shop.example/cb'] },
      { type: 'user', id: owner.id },
    );
    const again = await page('/admin/production-requests');
    const approve = await post(formAction(again, `/${second.id}/decision`) ?? '', again, [
      ['decision', 'approve'],
    ]);
    expect(approve.status).toBe(400);
    expect(await approve.text()).toContain('is not allowed');
    expect((await server.services.productionRequests.find(second.id))?.status).toBe('pending');
    expect((await server.services.applications.get(changed.clientId)).mode).toBe('sandbox');
  });

  it('filters the audit log by event prefix, actor and subject, newest first, and pages back', async () => {
    const app = await sandboxApp('Audited Shop');
    await server.services.applications.setFeatures(
      app.clientId,
      { documentPassback: true },
      {
        type: 'administrator',
        id: admin.id,
      },
    );

    const applicationEvents = await page('/admin/audit?event=application.');
    const events = [...applicationEvents.matchAll(/<td><code>([a-z_.]+)<\/code><\/td>/g)].map(
      (match) => match[1],
    );
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event?.startsWith('application.'))).toBe(true);
    expect(applicationEvents).not.toContain('<code>organization.created</code>');

    const byActor = await page(`/admin/audit?actor=${admin.id}`);
    const actorEvents = [...byActor.matchAll(/<td><code>([a-z_.]+)<\/code><\/td>/g)].map((match) => match[1]);
    expect(actorEvents[0]).toBe('application.features_changed');
    expect(byActor).not.toContain('<code>application.created</code>');
    // Data is shown as escaped JSON.
    expect(byActor).toContain('{&quot;documentPassback&quot;:true}');

    const bySubject = await page(`/admin/audit?entity_type=application&entity_id=${app.clientId}`);
    const subjectEvents = [...bySubject.matchAll(/<td><code>([a-z_.]+)<\/code><\/td>/g)].map(
      (match) => match[1],
    );
    expect(subjectEvents).toEqual(['application.features_changed', 'application.created']);

    // A wildcard in the prefix is literal; a day range that ended before everything shows nothing.
    expect(await page('/admin/audit?event=%25')).toContain('No event matches.');
    expect(await page('/admin/audit?from=2000-01-01&to=2000-01-02')).toContain('No event matches.');
    const today = new Date().toISOString().slice(0, 10);
    expect(await page(`/admin/audit?entity_id=${app.clientId}&from=${today}&to=${today}`)).toContain(
      'application.features_changed',
    );
    const badDate = await browser.request(url('/admin/audit?from=yesterday'));
    expect(badDate.status).toBe(400);
    expect(await badDate.text()).toContain('Enter a date as YYYY-MM-DD');

    // More than a page: "Older" continues below the last row shown, with the filters kept.
    for (let index = 0; index < 55; index++) {
      await server.services.audit.record('community.updated', {
        actor: operator,
        subject: { type: 'community', id: 'paging' },
        data: { index },
      });
    }
    const first = await page('/admin/audit?entity_type=community&entity_id=paging');
    expect(first.match(/<td><code>community\.updated<\/code><\/td>/g)).toHaveLength(50);
    expect(first).toContain('{&quot;index&quot;:54}');
    const older = /href="([^"]*)" rel="next">Older/.exec(first)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(older).toMatch(/^\/admin\/audit\?entity_type=community&entity_id=paging&before=\d+$/);
    const next = await page(older);
    expect(next.match(/<td><code>community\.updated<\/code><\/td>/g)).toHaveLength(5);
    expect(next).toContain('{&quot;index&quot;:4}');
    expect(next).not.toContain('{&quot;index&quot;:5}');
    expect(next).not.toContain('rel="next">Older');
    expect(next).toContain('Newest');
  });
});
