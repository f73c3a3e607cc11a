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
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** The administrator console's users and communities over HTTP. */
describe('administrator console: users and communities', () => {
  let server: TestServer;
  const admin = { email: 'admin@vetted.example', password: 'administrator password' };

  beforeAll(async () => {
    server = await startOidcServer();
    const staff = await server.services.accounts.createByOperator({
      email: admin.email,
      password: admin.password,
      firstName: 'Ada',
      lastName: 'Admin',
    });
    await server.services.roles.grant(staff.id, 'admin', { type: 'operator' });
  });
  afterAll(async () => {
    await server.stop();
  });

  const url = (path: string) => new URL(path, server.config.baseUrl);

  async function signIn(browser: Browser, email: string, password: string): Promise<Response> {
    const page = await (await browser.request(url('/account/sign-in'))).text();
    return browser.request(url('/account/sign-in'), { form: { _csrf: csrfToken(page), email, password } });
  }

  async function signedIn(email: string, password: string): Promise<Browser> {
    const browser = new Browser();
    expect((await signIn(browser, email, password)).status).toBe(303);
    return browser;
  }

  async function post(browser: Browser, page: string, endsWith: string, form: Record<string, string> = {}) {
    const action = formAction(page, endsWith);
    expect(action).toBeDefined();
    return browser.request(url(action ?? ''), { form: { _csrf: csrfToken(page), ...form } });
  }

  it('sends visitors to sign in and refuses accounts without the admin role', async () => {
    const anonymous = await new Browser().request(url('/admin/users'));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/account/sign-in?next=%2Fadmin%2Fusers');
    const member = await registerUser(server);
    const browser = await signedIn(member.email, member.password);
    for (const path of ['/admin/users', `/admin/users/${member.id}`, '/admin/communities/military']) {
      const refused = await browser.request(url(path));
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('This area is for administrators');
    }
  });

  it('finds a user, locks them out of signing in, and deletes them only with their email typed', async () => {
    const user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const usersSession = await signedIn(user.email, user.password);
    const browser = await signedIn(admin.email, admin.password);

    const list = await browser.request(url(`/admin/users?q=${encodeURIComponent(user.email.toUpperCase())}`));
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    const listed = await list.text();
    expect(listed).toContain(user.email);
    expect(listed).toContain(`href="/admin/users/${user.id}"`);
    expect(listed).toContain('1 account match');

    const profile = await (await browser.request(url(`/admin/users/${user.id}`))).text();
    expect(profile).toContain('Sean Moen');
    expect(profile).toContain('Military');
    expect(profile).toContain('Veteran');

    const noReason = await post(browser, profile, '/lock', { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Give the reason for locking the account.');

    const locked = await post(browser, profile, '/lock', { reason: 'Reported as stolen' });
    expect(locked.status).toBe(303);
    const lockedPage = await (await browser.request(url(locked.headers.get('location') ?? ''))).text();
    expect(lockedPage).toContain('The account is locked.');
    expect(lockedPage).toContain('Reported as stolen');
    expect(formAction(lockedPage, '/unlock')).toBeDefined();

    // Their signed-in browser is signed out, and signing in again is refused, saying why only to the password.
    expect((await usersSession.request(url('/account/verifications'))).status).toBe(302);
    const wrong = await signIn(new Browser(), user.email, 'not the password');
    expect(await wrong.text()).toContain('The email address or password is incorrect.');
    const refused = await signIn(new Browser(), user.email, user.password);
    expect(refused.status).not.toBe(303);
    expect(await refused.text()).toContain('This account is locked. Contact support.');

    const mismatch = await post(browser, lockedPage, '/delete', { confirm: 'someone@example.com' });
    expect(mismatch.status).toBe(400);
    const mismatchPage = await mismatch.text();
    expect(mismatchPage).toContain('That is not this account’s email address.');
    expect(mismatchPage).toContain('aria-invalid="true"');
    expect(await server.services.accounts.findById(user.id)).toBeDefined();

    const deleted = await post(browser, lockedPage, '/delete', { confirm: ` ${user.email.toUpperCase()} ` });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/admin/users?deleted=1');
    const after = await (await browser.request(url('/admin/users?deleted=1'))).text();
    expect(after).toContain('The account and all its data were deleted.');
    expect(await server.services.accounts.findById(user.id)).toBeUndefined();
    expect(await server.services.verification.listForUser(user.id)).toEqual([]);
    expect((await browser.request(url(`/admin/users/${user.id}`))).status).toBe(404);
  });

  it("ends the applications' access of a locked account: tokens, refresh, and the provider's session", async () => {
    const app = await registerApp(server, { name: 'Partner Shop', scopes: ['military'] });
    const user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const usersBrowser = new Browser();
    const { token } = await codeFlow(server, app, user, {}, usersBrowser);
    const accessToken = String(token.body.access_token);
    expect((await attributes(server, accessToken)).status).toBe(200);
    // Signed in at the provider: a second authorization goes straight through.
    expect((await authorizeApp(server, app, user, {}, { browser: usersBrowser })).shown).toEqual([]);

    const browser = await signedIn(admin.email, admin.password);
    const profile = await (await browser.request(url(`/admin/users/${user.id}`))).text();
    expect(profile).toContain('Partner Shop');
    expect((await post(browser, profile, '/lock', { reason: 'Compromised' })).status).toBe(303);

    expect((await attributes(server, accessToken)).status).toBe(401);
    const refresh = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: String(token.body.refresh_token),
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expect(refresh.body.error).toBe('invalid_grant');
    expect(await server.services.consents.connectedApps(user.id)).toEqual([]);
    // The provider's session is gone: authorizing again asks to sign in, which the lock refuses.
    const again = await authorizeApp(server, app, user, {}, { browser: usersBrowser });
    expect(again.shown).toEqual(['sign-in']);
    expect(again.callback).toBeUndefined();
    expect(again.page).toContain('This account is locked. Contact support.');
  });

  it('unlocks an account so that it signs in again', async () => {
    const user = await registerUser(server);
    const browser = await signedIn(admin.email, admin.password);
    const profile = await (await browser.request(url(`/admin/users/${user.id}`))).text();
    const locked = await post(browser, profile, '/lock', { reason: 'Checking' });
    const lockedPage = await (await browser.request(url(locked.headers.get('location') ?? ''))).text();
    const unlocked = await post(browser, lockedPage, '/unlock');
    expect(unlocked.status).toBe(303);
    expect((await signIn(new Browser(), user.email, user.password)).status).toBe(303);
  });

  it('lists communities, and adds and removes an email-domain rule of one', async () => {
    const browser = await signedIn(admin.email, admin.password);
    const list = await (await browser.request(url('/admin/communities'))).text();
    expect(list).toContain('href="/admin/communities/military"');

    const page = await (await browser.request(url('/admin/communities/military'))).text();
    expect(page).toContain('Email-domain rules');
    const invalid = await post(browser, page, '/rules', { subgroup: 'Veteran', pattern: 'not a domain' });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('is not a valid domain pattern');

    const added = await post(browser, page, '/rules', {
      subgroup: 'Veteran',
      pattern: 'Veterans.Example.org',
    });
    expect(added.status).toBe(303);
    const withRule = await (await browser.request(url(added.headers.get('location') ?? ''))).text();
    expect(withRule).toContain('The rule was added.');
    expect(withRule).toContain('veterans.example.org');
    const rule = (await server.services.emailRules.list('military')).find(
      (item) => item.pattern === 'veterans.example.org',
    );
    expect(rule).toBeDefined();

    const removed = await post(browser, withRule, `/rules/${rule?.id ?? ''}/remove`);
    expect(removed.status).toBe(303);
    const without = await (await browser.request(url(removed.headers.get('location') ?? ''))).text();
    expect(without).toContain('The rule was removed.');
    expect(without).not.toContain('veterans.example.org');
    const audit = await server.services.audit.list({
      subjectType: 'email_domain_rule',
      subjectId: rule?.id ?? '',
    });
    expect(audit.map((event) => event.event).sort()).toEqual([
      'email_domain_rule.added',
      'email_domain_rule.removed',
    ]);
  });
});
