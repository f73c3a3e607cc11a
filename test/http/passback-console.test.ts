import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passbackFixture, fetchDocument, imageUpload } from '../documents/support.ts';
import {
  Browser,
  csrfToken,
  registerApp,
  registerUser,
  startOidcServer,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** The people's side of document passback: administrators provision the token, users see who fetched what. */
describe('document passback in the consoles', () => {
  let server: TestServer;
  let admin: TestUser;
  const url = (path: string) => new URL(path, server.config.baseUrl);

  beforeAll(async () => {
    server = await startOidcServer();
    admin = await registerUser(server);
    await server.services.roles.grant(admin.id, 'admin', { type: 'operator' });
  });
  afterAll(() => server.stop());

  async function signedIn(user: TestUser, next = '/account/verifications'): Promise<Browser> {
    const browser = new Browser();
    const form = await (await browser.request(url('/account/sign-in'))).text();
    const response = await browser.request(url(`/account/sign-in?next=${encodeURIComponent(next)}`), {
      form: { _csrf: csrfToken(form), email: user.email, password: user.password },
    });
    expect(response.status).toBe(303);
    return browser;
  }

  it('provisions, rotates and revokes the API token, showing each new one exactly once', async () => {
    const app = await registerApp(server, { name: 'Travel Co', scopes: ['military'] });
    const browser = await signedIn(admin);
    const page = `/admin/applications/${app.clientId}/passback-token`;
    const before = await (await browser.request(url(page))).text();
    expect(before).toContain('Provision API token');

    const provisioned = await browser.request(url(page), { form: { _csrf: csrfToken(before) } });
    expect(provisioned.status).toBe(303);
    const shown = await (await browser.request(url(page))).text();
    const token = /<code aria-label="API token">(vdp_[^<]+)<\/code>/.exec(shown)?.[1] ?? '';
    expect(token).toMatch(/^vdp_[A-Za-z0-9_-]{40,}$/);
    expect(shown).toContain('Rotate API token');
    const again = await (await browser.request(url(page))).text();
    expect(again).not.toContain(token);
    expect(await server.services.documentPassback.apiTokenStatus(app.clientId)).toMatchObject({
      createdAt: expect.any(Date),
    });

    await browser.request(url(page), { form: { _csrf: csrfToken(again) } });
    const rotated = /<code aria-label="API token">(vdp_[^<]+)<\/code>/.exec(
      await (await browser.request(url(page))).text(),
    )?.[1];
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(token);

    const revoked = await browser.request(url(`${page}/revoke`), { form: { _csrf: csrfToken(again) } });
    expect(revoked.status).toBe(303);
    expect(await server.services.documentPassback.apiTokenStatus(app.clientId)).toBeUndefined();
    const events = await server.services.audit.list({ subjectType: 'application', subjectId: app.clientId });
    expect(events.map((event) => event.event)).toEqual(
      expect.arrayContaining([
        'application.passback_token_provisioned',
        'application.passback_token_revoked',
      ]),
    );

    const someone = await signedIn(await registerUser(server));
    expect((await someone.request(url(page))).status).toBe(403);
  });

  it('tells users in plain words that images of their document are shared, and who fetched them', async () => {
    const fixture = await passbackFixture(server, {
      front: await imageUpload(500, 400),
      back: await imageUpload(500, 400),
    });
    const front = fixture.tokens?.front ?? '';
    expect((await fetchDocument(server, front, { apiToken: fixture.apiToken, size: '300x200' })).status).toBe(
      200,
    );

    const browser = await signedIn(fixture.user);
    const apps = await (await browser.request(url('/account/apps'))).text();
    expect(apps).toContain('Images of the front and back of your identity document');
    const data = await (await browser.request(url('/account/verifications'))).text();
    expect(data).toContain('Who accessed my documents');
    expect(data).toMatch(/Partner Shop<\/td>\s*<td>front \(300x200\)<\/td>\s*<td>\s*Sent\s*<\/td>/);
  });
});
