import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Clock } from '../../src/lib/clock.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { ManageClient } from '../helpers/manage.ts';
import {
  authorizeApp,
  Browser,
  csrfToken,
  responseParams,
  startOidcServer,
  type TestApp,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Issue 13, point 4: adding an existing account as a test user invites it. The partner's answer is the same for
 * any address and shows neither the account's id (its `sub`) nor its name; the owner accepts by email, signed
 * in as that account, choosing the name the partner sees.
 */
describeEachDatabase('test user invitations', (database) => {
  let server: TestServer;
  let offset = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offset) };
  const url = (path: string) => new URL(path, server.config.baseUrl);
  let developer: TestUser;
  let partner: ManageClient;
  let partnerBrowser: Browser;
  let orgId: string;
  let app: TestApp;
  let appPath: string;
  let counter = 0;

  /** An account with a name that must not reach the partner before its owner agrees. */
  async function account(): Promise<TestUser> {
    counter += 1;
    const email = `owner${counter}.${Date.now()}@example.com`;
    const password = 'correct horse battery';
    const user = await server.services.accounts.createByOperator({
      email,
      password,
      firstName: 'Bartholomew',
      lastName: 'Quixote',
    });
    return { id: user.id, email, password };
  }

  async function signedIn(user: TestUser): Promise<Browser> {
    const browser = new Browser();
    const form = await (await browser.request(url('/account/sign-in'))).text();
    const response = await browser.request(url('/account/sign-in'), {
      form: { _csrf: csrfToken(form), email: user.email, password: user.password },
    });
    expect(response.status).toBe(303);
    return browser;
  }

  /** The invitation mailed to `address` (sent after the partner's answer), or undefined after a wait. */
  async function mailTo(address: string, waitMs = 2000) {
    const until = Date.now() + waitMs;
    for (;;) {
      const found = (await server.services.outbox.listRecent(100)).find((mail) => mail.to === address);
      if (found !== undefined || Date.now() > until) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async function linkFor(address: string): Promise<string> {
    const mail = await mailTo(address);
    const link = /https?:\/\/\S+\/account\/test-invitations\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
    expect(link).toBeDefined();
    return new URL(link ?? '').pathname;
  }

  const invite = (email: string) => partner.call('POST', `${appPath}/test-users`, { email });
  const sandboxSignIn = (user: TestUser) =>
    authorizeApp(server, app, user, { scope: 'openid email' }, { browser: new Browser() });

  /** Posts to the link with the session's CSRF token (from another page: an answered link shows no form). */
  async function answer(browser: Browser, link: string, form: Record<string, string>) {
    const page = await (await browser.request(url('/account/verifications'))).text();
    return browser.request(url(link), { form: { _csrf: csrfToken(page), ...form } });
  }

  beforeAll(async () => {
    server = await startOidcServer({ VETTED_DATABASE_URL: await database.create() }, { clock });
    developer = await account();
    partner = await ManageClient.signedIn(server, developer);
    partnerBrowser = await signedIn(developer);
    orgId = String((await partner.call('POST', '/organizations', { name: 'Shop Labs' })).body.id);
    const created = await partner.call('POST', `/organizations/${orgId}/applications`, {
      name: 'Sandbox Shop',
      redirect_uris: ['https://shop.example/callback'],
      requested_scopes: ['military'],
    });
    const application = created.body.application as { client_id: string };
    app = {
      clientId: application.client_id,
      clientSecret: String(created.body.client_secret),
      redirectUri: 'https://shop.example/callback',
    };
    appPath = `/organizations/${orgId}/applications/${app.clientId}`;
  });
  afterAll(async () => {
    await server.stop();
    await database.dropAll();
  });

  it('answers an unknown and an existing address alike, and shows neither the account id nor its name', async () => {
    const owner = await account();
    const unknown = `nobody.${Date.now()}@example.com`;
    const known = await invite(owner.email);
    // Before the change this answered the account's uuid (the `sub` partners receive) right away.
    expect(JSON.stringify(known.body)).not.toContain(owner.id);
    const nobody = await invite(unknown);
    const shape = (response: typeof known, email: string) =>
      JSON.parse(
        JSON.stringify(response.body)
          .replaceAll(email, '<email>')
          .replace(/"id":"[^"]+"/, '"id":"<id>"')
          .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>'),
      ) as unknown;
    expect(known.status).toBe(201);
    expect(nobody.status).toBe(known.status);
    expect(shape(known, owner.email)).toEqual(shape(nobody, unknown));
    expect(known.body).toMatchObject({
      message: `Invitation sent to ${owner.email} if it belongs to a Vetted account.`,
      invitation: { email: owner.email, status: 'pending' },
    });

    const sandbox = `/developer/orgs/${orgId}/apps/${app.clientId}/sandbox`;
    const page = await (await partnerBrowser.request(url(sandbox))).text();
    // Through the console's form: one address with an account, one without; the same redirect for both.
    const consoleOwner = await account();
    for (const email of [consoleOwner.email, `console.nobody.${Date.now()}@example.com`]) {
      const response = await partnerBrowser.request(url(`${sandbox}/testers`), {
        form: { _csrf: csrfToken(page), email },
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`${sandbox}?notice=tester_invited`);
    }

    const seen = [
      JSON.stringify((await partner.call('GET', `${appPath}/test-users`)).body),
      JSON.stringify((await partner.call('GET', `${appPath}/test-user-invitations`)).body),
      JSON.stringify((await partner.call('GET', `${appPath}/activity/events`)).body),
      await (await partnerBrowser.request(url(sandbox))).text(),
      JSON.stringify(known.body),
    ].join('\n');
    expect(seen).toContain(owner.email);
    expect(seen).toContain(unknown);
    expect(seen).toContain('Invited, pending');
    for (const secret of [owner.id, consoleOwner.id, 'Bartholomew', 'Quixote'])
      expect(seen).not.toContain(secret);
    const listed = (await partner.call('GET', `${appPath}/test-user-invitations`)).body.items ?? [];
    expect(listed.filter((item) => [owner.email, unknown].includes(String(item.email)))).toEqual([
      expect.objectContaining({ email: unknown, status: 'pending' }),
      expect.objectContaining({ email: owner.email, status: 'pending' }),
    ]);
    expect((await partner.call('GET', `${appPath}/test-users`)).body.items).toEqual([]);
    expect(await mailTo(unknown, 300)).toBeUndefined();
  });

  it('mails the owner a link that only they can accept; then the account signs in to the sandbox under the name chosen', async () => {
    const owner = await account();
    const other = await account();
    expect((await invite(owner.email)).status).toBe(201);
    const mail = await mailTo(owner.email);
    expect(mail?.subject).toBe('Sandbox Shop asks you to test it with your Vetted account');
    expect(mail?.text).toContain('Sandbox Shop (Shop Labs)');
    const link = await linkFor(owner.email);

    const refused = await sandboxSignIn(owner);
    expect(refused.status).toBe(403);
    expect(refused.page).toContain('Sandbox Shop is not open to everyone yet');

    // Another signed-in account cannot see or answer it.
    const intruder = await signedIn(other);
    const peek = await intruder.request(url(link));
    expect(peek.status).toBe(403);
    const peekPage = await peek.text();
    expect(peekPage).toContain('This invitation is for another Vetted account');
    expect(peekPage).not.toContain('Sandbox Shop');
    expect(peekPage).toContain('action="/account/sign-out"');
    const signInPage = await (await intruder.request(url('/account/sign-in'))).text();
    const forged = await intruder.request(url(link), {
      form: { _csrf: csrfToken(signInPage), decision: 'accept', name_choice: 'first' },
    });
    expect(forged.status).toBe(403);
    expect((await partner.call('GET', `${appPath}/test-users`)).body.items).toEqual([]);

    // Signed out, the link asks to sign in first and comes back.
    const visitor = await new Browser().request(url(link));
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get('location')).toBe(
      `/account/sign-in?${new URLSearchParams({ next: link }).toString()}`,
    );

    const browser = await signedIn(owner);
    const shown = await browser.request(url(link));
    expect(shown.status).toBe(200);
    const page = await shown.text();
    expect(page).toContain('<strong>Sandbox Shop</strong>, by <strong>Shop Labs</strong>');
    expect(page).toMatch(/<label for="field-name_choice-first">My first name: Bartholomew<\/label>/);
    expect(page).toMatch(/<label[^>]*for="field-name">Name to show<\/label>/);
    expect(page).toMatch(/<button[^>]*name="decision" value="accept"[^>]*>Accept<\/button>/);
    expect(page).toMatch(/<button[^>]*name="decision" value="decline"[^>]*>Decline<\/button>/);
    expect(shown.headers.get('cache-control')).toBe('no-store');

    const noCsrf = await browser.request(url(link), { form: { decision: 'accept' } });
    expect(noCsrf.status).toBe(403);
    const empty = await answer(browser, link, { decision: 'accept', name_choice: 'other', name: ' ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Enter the name to show, 1 to 60 characters.');
    const accepted = await answer(browser, link, {
      decision: 'accept',
      name_choice: 'other',
      name: 'Tester B',
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/account/apps?testing=accepted');

    const users = (await partner.call('GET', `${appPath}/test-users`)).body.items ?? [];
    expect(users).toEqual([
      expect.objectContaining({ user_id: owner.id, email: owner.email, name: 'Tester B' }),
    ]);
    const invitations = (await partner.call('GET', `${appPath}/test-user-invitations`)).body.items ?? [];
    expect(invitations.map((item) => item.email)).not.toContain(owner.email);
    const journey = await sandboxSignIn(owner);
    expect(responseParams(journey.callback).code).toEqual(expect.any(String));

    // Single use: a second answer gets a page that says so.
    const again = await answer(browser, link, { decision: 'accept', name_choice: 'first' });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This invitation has already been answered');
    expect(server.logText()).not.toContain(link.split('/').at(-1));
    expect(server.logText()).toContain('/account/test-invitations/:token');

    // The owner sees the application on "Connected apps" and can leave it.
    const apps = await (await browser.request(url('/account/apps'))).text();
    expect(apps).toContain('Applications you test');
    expect(apps).toContain('Its developers see you as “Tester B”.');
    const leave = `/account/apps/testing/${app.clientId}/leave`;
    expect(apps).toContain(`action="${leave}"`);
    const left = await browser.request(url(leave), { form: { _csrf: csrfToken(apps) } });
    expect(left.status).toBe(303);
    expect((await partner.call('GET', `${appPath}/test-users`)).body.items).toEqual([]);
    expect((await sandboxSignIn(owner)).status).toBe(403);
  });

  it('keeps a declined invitation pending for the partner, withdraws one, and refuses expired links', async () => {
    const decliner = await account();
    await invite(decliner.email);
    const declineLink = await linkFor(decliner.email);
    const browser = await signedIn(decliner);
    const declined = await answer(browser, declineLink, { decision: 'decline' });
    expect(declined.status).toBe(303);
    expect(declined.headers.get('location')).toBe('/account/apps?testing=declined');
    const listed = (await partner.call('GET', `${appPath}/test-user-invitations`)).body.items ?? [];
    const row = listed.find((item) => item.email === decliner.email);
    expect(row).toMatchObject({ status: 'pending' });
    expect((await answer(browser, declineLink, { decision: 'accept' })).status).toBe(410);

    // Withdrawn: gone from the list, and its link stops working.
    const withdrawn = await account();
    const invited = await invite(withdrawn.email);
    const withdrawnLink = await linkFor(withdrawn.email);
    const id = (invited.body.invitation as { id: string }).id;
    expect((await partner.call('DELETE', `${appPath}/test-user-invitations/${id}`)).status).toBe(204);
    expect((await partner.call('DELETE', `${appPath}/test-user-invitations/${id}`)).status).toBe(404);
    const after = (await partner.call('GET', `${appPath}/test-user-invitations`)).body.items ?? [];
    expect(after.map((item) => item.email)).not.toContain(withdrawn.email);
    const gone = await (await signedIn(withdrawn)).request(url(withdrawnLink));
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('withdrew this invitation');
    // The console removes one too.
    const sandbox = `/developer/orgs/${orgId}/apps/${app.clientId}/sandbox`;
    const page = await (await partnerBrowser.request(url(sandbox))).text();
    const action = new RegExp(`action="(${sandbox}/invitations/[^"]+/remove)"`).exec(page)?.[1] ?? '';
    expect(action).not.toBe('');
    const removed = await partnerBrowser.request(url(action), { form: { _csrf: csrfToken(page) } });
    expect(removed.headers.get('location')).toBe(`${sandbox}?notice=invitation_withdrawn_tester`);

    // Expired after 7 days, with a page that says what to do.
    const late = await account();
    await invite(late.email);
    const lateLink = await linkFor(late.email);
    offset += 7 * DAY_MS + 60_000;
    const expired = await (await signedIn(late)).request(url(lateLink));
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain(
      'This invitation has expired. Ask the application&#39;s developers to invite you again.',
    );
    // Signed in again: the console session did not outlive the week either.
    partner = await ManageClient.signedIn(server, developer);
    const stale = (await partner.call('GET', `${appPath}/test-user-invitations`)).body.items ?? [];
    expect(stale.find((item) => item.email === late.email)).toMatchObject({ status: 'expired' });
    const unknownLink = await (await signedIn(late)).request(url('/account/test-invitations/not-a-token'));
    expect(unknownLink.status).toBe(404);
  });
});
