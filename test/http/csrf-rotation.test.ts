import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  Browser,
  csrfToken,
  formAction,
  registerApp,
  registerUser,
  startOidcServer,
  type TestApp,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * A form token learned before signing in (say, planted by someone who had the browser, or read from a page
 * the attacker made the victim load) must be worthless once the victim signs in: the secret it derives from
 * is replaced at every successful sign-in, on the account pages and in a partner's sign-in alike.
 */
describe('form-token secret rotation at sign-in', () => {
  let server: TestServer;
  let app: TestApp;
  const url = (path: string) => new URL(path, server.config.baseUrl);

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['military'] });
  });
  afterAll(() => server.stop());

  it('account pages: the token from before sign-in no longer signs out; a fresh one does', async () => {
    const user = await registerUser(server);
    const browser = new Browser();
    const before = csrfToken(await (await browser.request(url('/account/sign-in'))).text());
    const secretBefore = /vetted_csrf=([^;]+)/.exec(browser.cookieHeader())?.[1];
    const signedIn = await browser.request(url('/account/sign-in'), {
      form: { _csrf: before, email: user.email, password: user.password },
    });
    expect(signedIn.status).toBe(303);
    expect(/vetted_csrf=([^;]+)/.exec(browser.cookieHeader())?.[1]).not.toBe(secretBefore);

    const stale = await browser.request(url('/account/sign-out'), { form: { _csrf: before } });
    expect(stale.status).toBe(403);
    const page = await (await browser.request(url('/account/verifications'))).text();
    expect(page).toContain('Sign out');
    const fresh = await browser.request(url('/account/sign-out'), { form: { _csrf: csrfToken(page) } });
    expect(fresh.status).toBe(303);
  });

  it('a failed sign-in keeps the secret (the form can be sent again)', async () => {
    const user = await registerUser(server);
    const browser = new Browser();
    const token = csrfToken(await (await browser.request(url('/account/sign-in'))).text());
    const wrong = await browser.request(url('/account/sign-in'), {
      form: { _csrf: token, email: user.email, password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
    const right = await browser.request(url('/account/sign-in'), {
      form: { _csrf: token, email: user.email, password: user.password },
    });
    expect(right.status).toBe(303);
  });

  it("a partner's sign-in: the sign-in page's token is refused on the consent form after", async () => {
    const user = await registerUser(server);
    const browser = new Browser();
    let response = await browser.request(
      authorizeUrl(server, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: 'code',
        scope: 'openid',
        state: 's',
      }),
    );
    const interaction = new URL(response.headers.get('location') ?? '', server.config.baseUrl);
    const signInPage = await (await browser.request(interaction)).text();
    const before = csrfToken(signInPage);
    response = await browser.request(url(formAction(signInPage, '/login') ?? ''), {
      form: { _csrf: before, email: user.email, password: user.password },
    });
    expect(response.status).toBe(303);
    // Back through /oauth/authorize to the consent step of a new interaction.
    let location = response.headers.get('location') ?? '';
    let page = '';
    for (let hop = 0; hop < 5 && location !== ''; hop++) {
      response = await browser.request(new URL(location, server.config.baseUrl));
      location =
        response.status >= 300 && response.status < 400 ? (response.headers.get('location') ?? '') : '';
      if (location === '') page = await response.text();
    }
    const consent = formAction(page, '/consent');
    expect(consent).toBeDefined();
    const stale = await browser.request(url(consent ?? ''), { form: { _csrf: before, decision: 'allow' } });
    expect(stale.status).toBe(403);
    const fresh = await browser.request(url(consent ?? ''), {
      form: { _csrf: csrfToken(page), decision: 'allow' },
    });
    expect(fresh.status).toBe(303);
  });
});
