import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, registerUser, startOidcServer, type TestUser } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** The developer console's pages: who gets in, escaping, field errors, and one tenant never seeing another's. */
describe('developer console', () => {
  let server: TestServer;
  const url = (path: string) => new URL(path, server.config.baseUrl);

  beforeAll(async () => {
    server = await startOidcServer();
  });
  afterAll(() => server.stop());

  async function signedIn(user: TestUser): Promise<Browser> {
    const browser = new Browser();
    const form = await (await browser.request(url('/account/sign-in'))).text();
    await browser.request(url('/account/sign-in'), {
      form: { _csrf: csrfToken(form), email: user.email, password: user.password },
    });
    return browser;
  }

  async function post(browser: Browser, path: string, form: Record<string, string>, page = path) {
    const html = await (await browser.request(url(page))).text();
    return browser.request(url(path), { form: { _csrf: csrfToken(html), ...form } });
  }

  async function organizationOf(browser: Browser, name: string): Promise<string> {
    const created = await post(browser, '/developer/orgs', { name }, '/developer');
    expect(created.status).toBe(303);
    return created.headers.get('location') ?? '';
  }

  it('sends visitors to sign in, with a way to create an account that comes back here', async () => {
    const response = await new Browser().request(url('/developer'));
    expect(response.status).toBe(302);
    const signIn = response.headers.get('location') ?? '';
    expect(signIn).toBe('/account/sign-in?next=%2Fdeveloper');
    const page = await (await new Browser().request(url(signIn))).text();
    expect(page).toContain('href="/account/sign-up?next=%2Fdeveloper"');
  });

  it('asks a developer with an unconfirmed email to confirm it first', async () => {
    const browser = new Browser();
    const form = await (await browser.request(url('/account/sign-up?next=/developer'))).text();
    const email = `unconfirmed.${Date.now()}@example.com`;
    const created = await browser.request(url('/account/sign-up?next=/developer'), {
      form: {
        _csrf: csrfToken(form),
        email,
        password: 'a long enough password',
        first_name: 'Una',
        last_name: 'Confirmed',
      },
    });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/account/confirm-email?next=%2Fdeveloper');
    const wrong = await post(
      browser,
      '/account/confirm-email?next=/developer',
      { code: '000000' },
      '/account/confirm-email',
    );
    expect(wrong.status).toBe(400);
    // Not signed in before the code is right; signed in with the password, still asked to confirm.
    expect((await browser.request(url('/developer'))).headers.get('location')).toBe(
      '/account/sign-in?next=%2Fdeveloper',
    );
    const signIn = await post(browser, '/account/sign-in', { email, password: 'a long enough password' });
    expect(signIn.status).toBe(303);
    const visit = await browser.request(url('/developer'));
    expect(visit.headers.get('location')).toBe('/account/confirm-email?next=%2Fdeveloper');
  });

  it('escapes what partners type and keeps it, with the error at its field', async () => {
    const browser = await signedIn(await registerUser(server));
    const org = await organizationOf(browser, '<b>Bold</b> & Co');
    const home = await (await browser.request(url(org))).text();
    expect(home).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; Co');
    expect(home).not.toContain('<b>Bold</b>');

    const refused = await post(
      browser,
      `${org}/apps`,
      {
        name: '<script>alert(1)</script>',
        redirect_uris: 'javascript:alert(1)',
        client_type: 'confidential',
      },
      `${org}/apps/new`,
    );
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toMatch(/id="field-redirect_uris-error"[^>]*>[\s\S]*javascript: scheme is never allowed/);
    expect(page).toContain('javascript:alert(1)</textarea>');
  });

  it('offers response types once an administrator enabled the implicit flow', async () => {
    const browser = await signedIn(await registerUser(server));
    const org = await organizationOf(browser, 'Hybrid Co');
    const created = await post(
      browser,
      `${org}/apps`,
      { name: 'Hybrid', redirect_uris: 'https://hybrid.example/cb', client_type: 'confidential' },
      `${org}/apps/new`,
    );
    const appPath = (created.headers.get('location') ?? '').replace(/\/credentials$/, '');
    const clientId = appPath.split('/').at(-1) ?? '';
    expect(await (await browser.request(url(appPath))).text()).not.toContain('name="response_types"');
    await server.services.applications.setFeatures(
      clientId,
      { implicitFlow: true },
      { type: 'administrator' },
    );

    const page = await (await browser.request(url(appPath))).text();
    expect(page).toContain('name="response_types"');
    const fields = { name: 'Hybrid', redirect_uris: 'https://hybrid.example/cb' };
    const none = await browser.request(url(`${appPath}/settings`), {
      form: { _csrf: csrfToken(page), ...fields },
    });
    expect(none.status).toBe(400);
    expect(await none.text()).toMatch(
      /id="field-response_types-error"[^>]*>[\s\S]*Choose at least one response type/,
    );
    const body = new URLSearchParams({ _csrf: csrfToken(page), ...fields });
    body.append('response_types', 'code');
    body.append('response_types', 'code id_token');
    const saved = await fetch(url(`${appPath}/settings`), {
      method: 'POST',
      headers: { Cookie: browser.cookieHeader(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });
    expect(saved.status).toBe(303);
    expect((await server.services.applications.get(clientId)).responseTypes).toEqual([
      'code',
      'code id_token',
    ]);
  });

  it("answers 404 on another organization's pages and forms", async () => {
    const alice = await signedIn(await registerUser(server));
    const org = await organizationOf(alice, 'Alice Shop');
    const created = await post(
      alice,
      `${org}/apps`,
      { name: 'Shop', redirect_uris: 'https://shop.example/cb', client_type: 'confidential' },
      `${org}/apps/new`,
    );
    expect(created.status).toBe(303);
    const credentials = created.headers.get('location') ?? '';
    const appPath = credentials.replace(/\/credentials$/, '');
    expect(appPath).toMatch(/^\/developer\/orgs\/[^/]+\/apps\/[0-9a-f]{32}$/);

    // The secret survives the redirect once (sealed in a cookie), and never again: a reload shows no secret.
    const first = await (await alice.request(url(credentials))).text();
    const secret = /<code aria-label="Client secret">([^<]+)<\/code>/.exec(first)?.[1] ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(alice.cookieHeader()).not.toContain(secret);
    const again = await (await alice.request(url(credentials))).text();
    expect(again).not.toContain(secret);
    expect(again).not.toContain('aria-label="Client secret"');

    const mallory = await signedIn(await registerUser(server));
    const malloryOrg = await organizationOf(mallory, 'Mallory Ltd');
    const foreignApp = appPath.replace(org, malloryOrg);
    for (const path of [
      org,
      `${org}/members`,
      `${org}/api-keys`,
      appPath,
      `${appPath}/credentials`,
      foreignApp,
    ]) {
      expect((await mallory.request(url(path))).status, path).toBe(404);
    }
    const rotate = await post(
      mallory,
      `${foreignApp}/credentials/rotate`,
      { overlap_hours: '0' },
      '/developer',
    );
    expect(rotate.status).toBe(404);
    const rename = await post(mallory, `${appPath}/settings`, { name: 'Mine' }, '/developer');
    expect(rename.status).toBe(404);
    const clientId = appPath.split('/').at(-1) ?? '';
    expect((await server.services.applications.get(clientId)).name).toBe('Shop');
  });
});
