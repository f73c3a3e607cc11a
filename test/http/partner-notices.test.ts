import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/audit/audit-service.ts';
import {
  Browser,
  csrfToken,
  formAction,
  registerUser,
  startOidcServer,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

interface OutboxMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Partners are told (issue 14, point 6): administrators' decisions on communities and production reach the
 * organization's owners and admins by email and as a notice on the application's console pages; the admin
 * overview lists the applications waiting for communities.
 */
describe('partners are told what administrators decide', () => {
  let server: TestServer;
  let admin: Browser;
  let owner: TestUser;
  let ownerBrowser: Browser;
  let developerMember: TestUser;
  let organizationId: string;
  const operator: Actor = { type: 'operator' };
  const url = (path: string) => new URL(path, server.config.baseUrl);

  async function signedIn(user: TestUser): Promise<Browser> {
    const browser = new Browser();
    const form = await (await browser.request(url('/account/sign-in'))).text();
    const response = await browser.request(url('/account/sign-in'), {
      form: { _csrf: csrfToken(form), email: user.email, password: user.password },
    });
    expect(response.status).toBe(303);
    return browser;
  }

  async function page(browser: Browser, path: string): Promise<string> {
    const response = await browser.request(url(path));
    expect(response.status, path).toBe(200);
    return response.text();
  }

  /** Posts a form with repeated names, as a browser does with checkboxes. */
  function post(browser: Browser, action: string, html: string, fields: [string, string][]) {
    return fetch(url(action), {
      method: 'POST',
      headers: {
        Cookie: browser.cookieHeader(),
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'text/html',
      },
      body: new URLSearchParams([['_csrf', csrfToken(html)], ...fields]).toString(),
      redirect: 'manual',
    });
  }

  async function mailTo(email: string): Promise<OutboxMessage[]> {
    const response = await fetch(url('/dev/outbox.json'));
    const { messages } = (await response.json()) as { messages: OutboxMessage[] };
    return messages.filter((message) => message.to === email);
  }

  async function sandboxApp(name: string, requestedScopes: string[]) {
    const { application } = await server.services.applications.create(
      {
        name,
        organizationId,
        mode: 'sandbox',
        scopes: ['openid'],
        requestedScopes,
        redirectUris: ['https://shop.example/cb'],
      },
      { type: 'user', id: owner.id },
    );
    return application;
  }

  const appPage = (clientId: string) => `/developer/orgs/${organizationId}/apps/${clientId}`;

  beforeAll(async () => {
    server = await startOidcServer();
    const administrator = await registerUser(server);
    await server.services.roles.grant(administrator.id, 'admin', operator);
    admin = await signedIn(administrator);
    owner = await registerUser(server);
    developerMember = await registerUser(server);
    const organization = await server.services.organizations.create(
      { name: 'Told & Co', ownerUserId: owner.id },
      operator,
    );
    organizationId = organization.id;
    await server.services.organizations.invite(organizationId, developerMember.email, 'developer', operator);
    const [invitation] = await mailTo(developerMember.email);
    const token = /\/developer\/invitations\/([\w-]+)/.exec(invitation?.text ?? '')?.[1] ?? '';
    await server.services.organizations.acceptInvitation(token, developerMember.id, developerMember.email);
    ownerBrowser = await signedIn(owner);
  });
  afterAll(() => server.stop());

  it('lists the waiting application on the overview, tells the partner of the decision, and forgets it', async () => {
    const app = await sandboxApp('Waiting Shop', ['military', 'student']);
    const overview = await page(admin, '/admin');
    expect(overview).toContain('Applications waiting for communities');
    expect(overview).toContain(`href="/admin/applications/${app.clientId}"`);
    expect(overview).toContain('military, student');

    const details = await page(admin, `/admin/applications/${app.clientId}`);
    const action = formAction(details, '/features') ?? '';
    const saved = await post(admin, action, details, [
      ['scopes', 'military'],
      ['id_token_alg', 'RS256'],
      ['userinfo_alg', ''],
      ['access_token_ttl', ''],
      ['refresh_token_ttl', ''],
      ['code_ttl', ''],
    ]);
    expect(saved.status).toBe(303);

    // Decided: no longer waiting (military enabled, student refused).
    expect(await page(admin, '/admin')).not.toContain(`href="/admin/applications/${app.clientId}"`);
    const stored = await server.services.applications.get(app.clientId);
    expect(stored.allowedScopes).toContain('military');
    expect(stored.requestedScopes).not.toContain('student');

    const [mail] = await mailTo(owner.email);
    expect(mail?.subject).toBe('Vetted: Communities decided for Waiting Shop');
    expect(mail?.text).toContain('may now ask users to verify Military');
    expect(mail?.text).toContain('did not enable Student');
    expect(mail?.text).toContain(`${server.config.baseUrl}${appPage(app.clientId)}`);
    // Owners and admins are told by email; developers see the notice in the console.
    expect((await mailTo(developerMember.email)).map((sent) => sent.subject)).not.toContain(mail?.subject);

    const shown = await page(ownerBrowser, appPage(app.clientId));
    expect(shown).toContain('Communities decided for Waiting Shop');
    expect(shown).toContain('did not enable Student');
    // It stays until dismissed, then is gone for every member.
    expect(await page(ownerBrowser, `${appPage(app.clientId)}/credentials`)).toContain(
      'Communities decided for Waiting Shop',
    );
    const dismiss = formAction(shown, '/dismiss') ?? '';
    const dismissed = await post(ownerBrowser, dismiss, shown, []);
    expect(dismissed.status).toBe(303);
    expect(await page(ownerBrowser, appPage(app.clientId))).not.toContain('Communities decided');
    const member = await signedIn(developerMember);
    expect(await page(member, appPage(app.clientId))).not.toContain('Communities decided');
  });

  async function requestProduction(name: string) {
    const app = await sandboxApp(name, []);
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
    return { app, request: await server.services.productionRequests.request(app.clientId, actor) };
  }

  async function decide(requestId: string, decision: 'approve' | 'decline', note: string) {
    const queue = await page(admin, '/admin/production-requests');
    const action = formAction(queue, `/${requestId}/decision`) ?? '';
    const response = await post(admin, action, queue, [
      ['decision', decision],
      [`note-${requestId}`, note],
    ]);
    expect(response.status).toBe(303);
  }

  it('tells the partner a production request was declined, with the note, then approved', async () => {
    const { app, request } = await requestProduction('Production Shop');
    await decide(request.id, 'decline', 'The privacy policy page <is> empty.');
    const [declined] = await mailTo(owner.email).then((all) =>
      all.filter((mail) => mail.subject.includes('Production Shop')),
    );
    expect(declined?.subject).toBe('Vetted: Production request for Production Shop declined');
    expect(declined?.text).toContain("The administrator's note:\n\nThe privacy policy page <is> empty.");
    const shown = await page(ownerBrowser, appPage(app.clientId));
    expect(shown).toContain('Production request for Production Shop declined');
    expect(shown).toContain('The privacy policy page &lt;is&gt; empty.');

    const again = await server.services.productionRequests.request(app.clientId, {
      type: 'user',
      id: owner.id,
    });
    await decide(again.id, 'approve', 'Welcome aboard.');
    const approved = (await mailTo(owner.email)).find(
      (mail) => mail.subject === 'Vetted: Production Shop is in production',
    );
    expect(approved?.text).toContain('Welcome aboard.');
    const now = await page(ownerBrowser, appPage(app.clientId));
    expect(now).toContain('Production Shop is in production');
    expect(now).toContain('Welcome aboard.');
  });
});
