import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attributes,
  authorizeApp,
  Browser,
  codeFlow,
  csrfToken,
  formAction,
  registerApp,
  registerUser,
  startOidcServer,
  tokenRequest,
  type TestApp,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** Users see which applications receive what, and take a consent back: the grant and its tokens go. */
describe('connected apps', () => {
  let server: TestServer;
  let app: TestApp;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { name: 'Partner Shop', scopes: ['military'] });
  });
  afterAll(() => server.stop());

  const url = (path: string) => new URL(path, server.config.baseUrl);

  async function signedIn(user: TestUser): Promise<Browser> {
    const browser = new Browser();
    const form = await (await browser.request(url('/account/sign-in'))).text();
    await browser.request(url('/account/sign-in?next=/account/apps'), {
      form: { _csrf: csrfToken(form), email: user.email, password: user.password },
    });
    return browser;
  }

  it('lists what each application receives, and Revoke ends its tokens and asks consent again', async () => {
    const user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const { token } = await codeFlow(server, app, user);
    const accessToken = String(token.body.access_token);
    expect((await attributes(server, accessToken)).status).toBe(200);

    const browser = await signedIn(user);
    const page = await browser.request(url('/account/apps'));
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('Partner Shop');
    for (const field of ['First name', 'Email', 'Military status: Veteran']) expect(html).toContain(field);

    const action = formAction(html, '/revoke') ?? '';
    const revoked = await browser.request(url(action), { form: { _csrf: csrfToken(html) } });
    expect(revoked.status).toBe(303);
    const after = await (await browser.request(url(revoked.headers.get('location') ?? ''))).text();
    expect(after).toContain('Partner Shop no longer has access.');
    expect(after).toContain('No application receives anything from your Vetted account.');

    expect((await attributes(server, accessToken)).status).toBe(401);
    const refresh = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: String(token.body.refresh_token),
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expect(refresh.body.error).toBe('invalid_grant');
    expect((await authorizeApp(server, app, user)).shown).toEqual(['sign-in', 'consent']);
    const audit = await server.services.audit.list({ subjectType: 'user', subjectId: user.id });
    expect(audit.map((event) => event.event)).toContain('consent.revoked');
  });

  it('answers an application the user never consented to like an unknown page', async () => {
    const user = await registerUser(server);
    const browser = await signedIn(user);
    // A form token of this browser (the list is empty, so it has no form of its own).
    const html = await (await browser.request(url('/account/verifications'))).text();
    const response = await browser.request(url(`/account/apps/${app.clientId}/revoke`), {
      form: { _csrf: csrfToken(html) },
    });
    expect(response.status).toBe(404);
  });
});
