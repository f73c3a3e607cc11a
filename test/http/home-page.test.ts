import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, registerUser, startOidcServer } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** `/` (issue 14): a real page, not a 404, that sends people, partners and staff where they belong. */
describe('home page', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startOidcServer();
  });
  afterAll(() => server.stop());
  const url = (path: string) => new URL(path, server.config.baseUrl);

  it('says what Vetted is and links every audience, and offers first-run setup while there is no administrator', async () => {
    const response = await fetch(url('/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).toContain('<title>Home · Vetted</title>');
    expect(page).toContain('Vetted is an identity provider you run yourself');
    for (const href of [
      '/account/sign-in?next=%2Faccount%2Fverifications',
      '/account/sign-up',
      '/developer',
      '/oidc/.well-known/openid-configuration',
      '/review',
      '/admin',
      '/setup',
    ]) {
      expect(page).toContain(`href="${href}"`);
    }
    expect(page).toContain('Create the first administrator');
    expect(page).toContain('docs/partner-api.md');
    // This server runs without the demo (VETTED_DEMO=false): no link to a /demo that is not there.
    expect(page).not.toContain('href="/demo"');
    expect((await fetch(url('/demo'))).status).toBe(404);
    // The links lead somewhere.
    expect((await fetch(url('/oidc/.well-known/openid-configuration'))).status).toBe(200);
    expect((await fetch(url('/account/sign-up'))).status).toBe(200);
  });

  it('names the signed-in person and links their pages', async () => {
    const user = await registerUser(server);
    const browser = new Browser();
    const form = await (await browser.request(url('/account/sign-in'))).text();
    const signedIn = await browser.request(url('/account/sign-in'), {
      form: { _csrf: csrfToken(form), email: user.email, password: user.password },
    });
    expect(signedIn.status).toBe(303);
    const page = await (await browser.request(url('/'))).text();
    expect(page).toContain(user.email);
    expect(page).toContain('href="/account/verifications"');
    expect(page).toContain('href="/account/apps"');
    expect(page).not.toContain('Sign in to my account');
  });

  it('no longer offers setup once an administrator exists', async () => {
    const staff = await registerUser(server);
    await server.services.roles.grant(staff.id, 'admin', { type: 'operator' });
    const response = await fetch(url('/'));
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('For partners');
    expect(page).not.toContain('href="/setup"');
    expect(page).not.toContain('Create the first administrator');
  });

  it('links the Demo Shop sign-in when the development demo is on, and the link opens it', async () => {
    const demo = await startOidcServer({ VETTED_DEMO: 'true' });
    try {
      const page = await (await fetch(new URL('/', demo.config.baseUrl))).text();
      expect(page).toContain('href="/demo">Try a sign-in with the Demo Shop</a>');
      const target = await fetch(new URL('/demo', demo.config.baseUrl));
      expect(target.status).toBe(200);
      expect(await target.text()).toContain('Try a sign-in');
    } finally {
      await demo.stop();
    }
  });
});
