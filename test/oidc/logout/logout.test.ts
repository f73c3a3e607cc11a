import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  authorizeApp,
  Browser,
  codeFlow,
  pageForm,
  registerApp,
  registerUser,
  REDIRECT_URI,
  startOidcServer,
  tokenRequest,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

describe('logout at /oauth/logout (client_id + registered redirect_uri)', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { name: 'Outdoor Outfitters' });
    user = await registerUser(server, { verify: [['military', 'Veteran']] });
  });
  afterAll(() => server.stop());

  const logoutUrl = (params: Record<string, string>) => {
    const url = new URL('/oauth/logout', server.config.baseUrl);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url;
  };

  const authorizeAgain = (browser: Browser) => authorizeApp(server, app, user, {}, { browser });

  /** Shows the confirmation page and presses its "Sign out" button. */
  async function signOut(browser: Browser, params: Record<string, string>) {
    const page = await browser.request(logoutUrl(params));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('Outdoor Outfitters asked to sign you out.');
    expect(html).toMatch(
      /<button[^>]*type="submit"[^>]*form="op.logoutForm"[^>]*name="logout"[^>]*value="yes"/,
    );
    expect(html).toMatch(/>\s*Sign out\s*</);
    const { action, fields } = pageForm(html);
    expect(new URL(action ?? '').pathname).toBe('/oauth/logout/confirm');
    return browser.request(new URL(action ?? ''), { form: { ...fields, logout: 'yes' } });
  }

  it('asks for confirmation, ends the Vetted session, and returns to the registered URI', async () => {
    const browser = new Browser();
    await codeFlow(server, app, user, {}, browser);
    expect((await authorizeAgain(browser)).shown).toEqual([]);
    const confirmed = await signOut(browser, {
      client_id: app.clientId,
      redirect_uri: REDIRECT_URI,
      state: 'bye',
    });
    expect(confirmed.status).toBe(303);
    const location = new URL(confirmed.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('bye');
    expect((await authorizeAgain(browser)).shown).toEqual(['sign-in']);
  });

  it('does not revoke the partner’s tokens: access and refresh tokens keep working', async () => {
    const browser = new Browser();
    const { token } = await codeFlow(server, app, user, {}, browser);
    expect((await signOut(browser, { client_id: app.clientId, redirect_uri: REDIRECT_URI })).status).toBe(
      303,
    );
    expect((await attributes(server, String(token.body.access_token))).status).toBe(200);
    const refreshed = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: String(token.body.refresh_token),
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expect(refreshed.status).toBe(200);
  });

  it('accepts the OpenID Connect name post_logout_redirect_uri too', async () => {
    const browser = new Browser();
    await codeFlow(server, app, user, {}, browser);
    const confirmed = await signOut(browser, {
      client_id: app.clientId,
      post_logout_redirect_uri: REDIRECT_URI,
    });
    expect(confirmed.headers.get('location')).toBe(REDIRECT_URI);
  });

  it('refuses an unregistered redirect_uri on an error page, never redirecting to it', async () => {
    const browser = new Browser();
    await codeFlow(server, app, user, {}, browser);
    for (const redirect of ['https://attacker.example/', `${REDIRECT_URI}/x`, 'javascript:alert(1)']) {
      const response = await browser.request(logoutUrl({ client_id: app.clientId, redirect_uri: redirect }));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('location')).toBeNull();
      const html = await response.text();
      expect(html).toContain('<code>redirect_uri_mismatch</code>');
      expect(html).toContain('This return address is not registered');
      expect(html).not.toContain('attacker.example');
    }
    // The session is untouched by the refused request.
    expect((await authorizeAgain(browser)).shown).toEqual([]);
  });

  it('refuses an unknown client_id on an error page', async () => {
    const response = await new Browser().request(
      logoutUrl({ client_id: 'no-such-client', redirect_uri: REDIRECT_URI }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('<code>invalid_client</code>');
  });

  it('without a redirect_uri, ends on Vetted’s signed-out page', async () => {
    const browser = new Browser();
    await codeFlow(server, app, user, {}, browser);
    const confirmed = await signOut(browser, { client_id: app.clientId });
    expect(confirmed.status).toBe(303);
    const success = await browser.request(
      new URL(confirmed.headers.get('location') ?? '', server.config.baseUrl),
    );
    expect(success.status).toBe(200);
    expect(success.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await success.text()).toContain('You are signed out of Vetted');
    expect((await authorizeAgain(browser)).shown).toEqual(['sign-in']);
  });

  it('without a Vetted session, goes straight back to the registered URI', async () => {
    const browser = new Browser();
    const page = await browser.request(logoutUrl({ client_id: app.clientId, redirect_uri: REDIRECT_URI }));
    expect(page.status).toBe(200);
    const { action, fields } = pageForm(await page.text());
    expect(fields.logout).toBe('yes');
    const confirmed = await browser.request(new URL(action ?? ''), { form: fields });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(REDIRECT_URI);
  });

  it('refuses a confirmation without the page’s xsrf token', async () => {
    const browser = new Browser();
    await codeFlow(server, app, user, {}, browser);
    await browser.request(logoutUrl({ client_id: app.clientId, redirect_uri: REDIRECT_URI }));
    const forged = await browser.request(new URL('/oauth/logout/confirm', server.config.baseUrl), {
      form: { xsrf: 'forged', logout: 'yes' },
    });
    expect(forged.status).toBe(400);
    expect(forged.headers.get('location')).toBeNull();
    expect((await authorizeAgain(browser)).shown).toEqual([]);
  });
});
