import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  Browser,
  csrfToken,
  formAction,
  registerApp,
  registerUser,
  startOidcServer,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

const fresh = () => `new.${randomBytes(6).toString('hex')}@example.com`;

/**
 * Creating an account must not tell who already has one: a registered address gets the same answer as a new
 * one (the code page), its owner an email instead of a code, and nothing typed on that code page opens or
 * changes the existing account. Sign-up attempts are limited per network and per address.
 */
describe('sign-up does not disclose registered addresses', () => {
  let server: TestServer;
  const url = (path: string) => new URL(path, server.config.baseUrl);
  afterEach(() => server.stop());

  const form = (email: string) => ({
    email,
    password: 'a long enough password',
    first_name: 'Mallory',
    last_name: 'Probe',
  });

  async function signUp(browser: Browser, email: string) {
    const page = await (await browser.request(url('/account/sign-up?next=/developer'))).text();
    return browser.request(url('/account/sign-up?next=/developer'), {
      form: { _csrf: csrfToken(page), ...form(email) },
    });
  }

  /** What a visitor sees of a sign-up: the answer, its cookies' names, then the code page (address masked). */
  async function observed(email: string) {
    const browser = new Browser();
    const answer = await signUp(browser, email);
    const cookies = answer.headers
      .getSetCookie()
      .map((line) => {
        const [pair = ''] = line.split(';');
        const [name = '', value = ''] = pair.split('=');
        return `${name}:${value.length}:${line.slice(pair.length)}`;
      })
      .sort();
    const page = await browser.request(url(answer.headers.get('location') ?? '/'));
    const html = (await page.text())
      .replaceAll(email, 'EMAIL')
      .replace(/name="_csrf" value="[^"]+"/g, '_csrf');
    return { browser, status: answer.status, location: answer.headers.get('location'), cookies, page: html };
  }

  async function mailsTo(address: string) {
    return (await server.services.outbox.listRecent(100)).filter((mail) => mail.to === address);
  }

  it('account pages: a registered address is answered as a new one, and its owner is told', async () => {
    server = await startOidcServer();
    const owner: TestUser = await registerUser(server);
    const newcomer = fresh();
    const known = await observed(owner.email);
    const unknown = await observed(newcomer);
    expect(known.status).toBe(303);
    expect(known.location).toBe('/account/confirm-email?next=%2Fdeveloper');
    expect({ ...known, browser: undefined }).toEqual({ ...unknown, browser: undefined });

    const [notice, ...others] = await mailsTo(owner.email);
    expect(others).toEqual([]);
    expect(notice?.subject).toMatch(/someone tried to create a Vetted account/i);
    expect(notice?.text).toContain('/account/sign-in');
    expect(notice?.text).not.toMatch(/\d{6}/);
    expect((await mailsTo(newcomer))[0]?.text).toMatch(/verification code is \d{6}/);

    // Whatever is typed on the code page fails as a wrong code does; then as too many wrong codes do.
    const statuses: number[] = [];
    for (const code of ['000000', '123456', '999999', '654321', '111111', '222222']) {
      const page = await (await known.browser.request(url('/account/confirm-email?next=/developer'))).text();
      const answer = await known.browser.request(url('/account/confirm-email?next=/developer'), {
        form: { _csrf: csrfToken(page), code },
      });
      statuses.push(answer.status);
      if (answer.status === 400) expect(await answer.text()).toContain('That code is not correct.');
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    const resendPage = await (await known.browser.request(url('/account/confirm-email'))).text();
    const resent = await known.browser.request(url('/account/confirm-email/resend'), {
      form: { _csrf: csrfToken(resendPage) },
    });
    expect(resent.status).toBe(429);

    // The newcomer's right code signs the browser in to the new account.
    const code = /verification code is (\d{6})/.exec((await mailsTo(newcomer))[0]?.text ?? '')?.[1] ?? '';
    const codePage = await (await unknown.browser.request(url('/account/confirm-email'))).text();
    const confirmed = await unknown.browser.request(url('/account/confirm-email?next=/developer'), {
      form: { _csrf: csrfToken(codePage), code },
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/developer');
    expect((await unknown.browser.request(url('/account/verifications'))).status).toBe(200);

    // Not signed in to the owner's account, which is as it was.
    expect((await known.browser.request(url('/account/verifications'))).status).toBe(302);
    const account = await server.services.accounts.findByEmail(owner.email);
    expect(account).toMatchObject({ firstName: 'Sean', lastName: 'Moen', emailVerified: true });
    await expect(
      server.services.accounts.authenticate(owner.email, owner.password, { ip: '192.0.2.1' }),
    ).resolves.toMatchObject({ id: owner.id });
  });

  it("a partner's sign-up: a registered address also goes to the code page, which never signs in", async () => {
    server = await startOidcServer();
    const app = await registerApp(server, { scopes: ['military'] });
    const owner = await registerUser(server);
    async function signUpThere(email: string) {
      const browser = new Browser();
      const start = await browser.request(
        authorizeUrl(server, {
          client_id: app.clientId,
          redirect_uri: app.redirectUri,
          response_type: 'code',
          scope: 'openid',
          state: 's',
          op: 'signup',
        }),
      );
      const interaction = new URL(start.headers.get('location') ?? '', server.config.baseUrl);
      const page = await (await browser.request(interaction)).text();
      const answer = await browser.request(url(formAction(page, '/signup') ?? ''), {
        form: { _csrf: csrfToken(page), ...form(email) },
      });
      const next = await browser.request(url(answer.headers.get('location') ?? '/'));
      return { browser, answer, next: await next.text(), base: interaction.pathname };
    }
    const known = await signUpThere(owner.email);
    const unknown = await signUpThere(fresh());
    expect(known.answer.status).toBe(303);
    expect(known.answer.status).toBe(unknown.answer.status);
    expect(known.answer.headers.get('location')).toBe(known.base);
    expect(known.next).toContain('We sent a 6-digit code to');
    expect(known.next).toContain(owner.email);
    expect((await mailsTo(owner.email))[0]?.subject).toMatch(/someone tried/i);

    for (let attempt = 0; attempt < 3; attempt++) {
      const action = formAction(known.next, '/verify-email') ?? '';
      const answer = await known.browser.request(url(action), {
        form: { _csrf: csrfToken(known.next), code: String(100000 + attempt) },
      });
      expect(answer.status).toBe(400);
      known.next = await answer.text();
      expect(known.next).toContain('That code is not correct.');
    }
  });

  it('limits sign-ups per address: 429 with Retry-After and a page that says so', async () => {
    server = await startOidcServer();
    const owner = await registerUser(server);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++)
      statuses.push((await signUp(new Browser(), owner.email)).status);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
    // A new address is limited alike: the limit tells nothing either.
    const newcomer = fresh();
    for (let attempt = 0; attempt < 5; attempt++) await signUp(new Browser(), newcomer);
    const refused = await signUp(new Browser(), newcomer);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const page = await refused.text();
    expect(page).toContain('Too many attempts to create an account with this email address.');
    expect(await mailsTo(owner.email)).toHaveLength(5);
  });

  it('limits sign-ups per network', async () => {
    server = await startOidcServer();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++)
      statuses.push((await signUp(new Browser(), fresh())).status);
    expect(statuses.slice(0, 20)).toEqual(Array<number>(20).fill(303));
    expect(statuses[20]).toBe(429);
    const refused = await signUp(new Browser(), fresh());
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.text()).toContain('Too many sign-up attempts came from your network.');
  });
});
