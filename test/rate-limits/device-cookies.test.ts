import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizeUrl, Browser, csrfToken, formAction, registerApp, registerUser } from '../helpers/oidc.ts';
import { startOidcServer, type TestUser } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a browser that signed in to an account
 * before carries a signed device cookie for it, and is held back neither by the limit on its network nor by
 * the lock that guessing from other clients puts on the account; it has its own lock instead.
 */
describe('sign-in limits with device cookies', () => {
  let server: TestServer;
  const url = (path: string) => new URL(path, server.config.baseUrl);
  afterEach(() => server.stop());

  async function signIn(browser: Browser, email: string, password: string): Promise<Response> {
    const form = await (await browser.request(url('/account/sign-in'))).text();
    return browser.request(url('/account/sign-in'), { form: { _csrf: csrfToken(form), email, password } });
  }

  /** A browser that signed in to `user` once and signed out again: it keeps only its device cookie. */
  async function knownDevice(user: TestUser): Promise<{ browser: Browser; setCookie: string }> {
    const browser = new Browser();
    const form = await (await browser.request(url('/account/sign-in'))).text();
    const response = await browser.request(url('/account/sign-in'), {
      form: { _csrf: csrfToken(form), email: user.email, password: user.password },
    });
    expect(response.status).toBe(303);
    const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('vetted_device=')) ?? '';
    const page = await (await browser.request(url('/account/verifications'))).text();
    await browser.request(url('/account/sign-out'), { form: { _csrf: csrfToken(page) } });
    return { browser, setCookie };
  }

  async function failFromThisNetwork(
    times: number,
    email = () => `${randomBytes(6).toString('hex')}@example.com`,
  ) {
    const attacker = new Browser();
    const token = csrfToken(await (await attacker.request(url('/account/sign-in'))).text());
    const statuses: number[] = [];
    for (let attempt = 0; attempt < times; attempt++) {
      const response = await attacker.request(url('/account/sign-in'), {
        form: { _csrf: token, email: email(), password: 'guess' },
      });
      statuses.push(response.status);
    }
    return statuses;
  }

  it('20 failures from one network: 429 for browsers it does not know, not for a device of the account', async () => {
    server = await startOidcServer();
    const ann = await registerUser(server);
    const bob = await registerUser(server);
    const { browser: annsLaptop, setCookie } = await knownDevice(ann);
    expect(setCookie).toMatch(/^vetted_device=[A-Za-z0-9._-]+;/);
    expect(setCookie).toMatch(/; httponly/i);
    expect(setCookie).toMatch(/; samesite=lax/i);
    const expires = Date.parse(/expires=([^;]+)/i.exec(setCookie)?.[1] ?? '');
    expect(expires - Date.now()).toBeGreaterThan(90 * 86_400_000);

    const statuses = await failFromThisNetwork(21);
    expect(statuses.slice(0, 20)).toEqual(Array<number>(20).fill(401));
    expect(statuses[20]).toBe(429);

    const stranger = await signIn(new Browser(), ann.email, ann.password);
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(0);

    const known = await signIn(annsLaptop, ann.email, ann.password);
    expect(known.status).toBe(303);
    expect(known.headers.get('location')).toBe('/account/verifications');

    // The cookie names Ann's account: for Bob's, the same browser is a stranger.
    const page = await (await annsLaptop.request(url('/account/verifications'))).text();
    await annsLaptop.request(url('/account/sign-out'), { form: { _csrf: csrfToken(page) } });
    expect((await signIn(annsLaptop, bob.email, bob.password)).status).toBe(429);
  });

  it('someone guessing one account locks it for strangers, not for its own devices', async () => {
    server = await startOidcServer();
    const ann = await registerUser(server);
    const { browser: annsLaptop } = await knownDevice(ann);
    const statuses = await failFromThisNetwork(6, () => ann.email);
    expect(statuses.at(-1)).toBe(429);
    expect((await signIn(new Browser(), ann.email, ann.password)).status).toBe(429);
    expect((await signIn(annsLaptop, ann.email, ann.password)).status).toBe(303);
  });

  it('a device is locked by its own failures, and that does not lock the account for others', async () => {
    server = await startOidcServer();
    const ann = await registerUser(server);
    const { browser: annsLaptop } = await knownDevice(ann);
    const token = csrfToken(await (await annsLaptop.request(url('/account/sign-in'))).text());
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const response = await annsLaptop.request(url('/account/sign-in'), {
        form: { _csrf: token, email: ann.email, password: 'wrong' },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await signIn(annsLaptop, ann.email, ann.password)).status).toBe(429);
    expect((await signIn(new Browser(), ann.email, ann.password)).status).toBe(303);
  });

  it("a partner's sign-in gives and honours the device cookie too", async () => {
    server = await startOidcServer();
    const app = await registerApp(server, { scopes: ['military'] });
    const ann = await registerUser(server);
    const start = () =>
      authorizeUrl(server, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: 'code',
        scope: 'openid',
        state: 's',
      });
    async function signInThere(browser: Browser): Promise<Response> {
      const first = await browser.request(start());
      const interaction = new URL(first.headers.get('location') ?? '', server.config.baseUrl);
      const page = await (await browser.request(interaction)).text();
      return browser.request(url(formAction(page, '/login') ?? ''), {
        form: { _csrf: csrfToken(page), email: ann.email, password: ann.password },
      });
    }
    const laptop = new Browser();
    const first = await signInThere(laptop);
    expect(first.status).toBe(303);
    expect(laptop.cookieHeader()).toContain('vetted_device=');
    await failFromThisNetwork(21);
    // A new sign-in at the partner (its own session forgotten), from the same browser.
    const device = /vetted_device=[^;]+/.exec(laptop.cookieHeader())?.[0] ?? '';
    const again = new Browser();
    const knownAgain = await (async () => {
      const response = await again.request(start());
      const interaction = new URL(response.headers.get('location') ?? '', server.config.baseUrl);
      const page = await (await again.request(interaction)).text();
      const headers = {
        Cookie: `${again.cookieHeader()}; ${device}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      };
      return fetch(url(formAction(page, '/login') ?? ''), {
        method: 'POST',
        headers,
        body: new URLSearchParams({ _csrf: csrfToken(page), email: ann.email, password: ann.password }),
        redirect: 'manual',
      });
    })();
    expect(knownAgain.status).toBe(303);
    expect((await signInThere(new Browser())).status).toBe(429);
  });

  it('warns operators once when requests carry X-Forwarded-For and the proxy is not trusted', async () => {
    server = await startOidcServer({ VETTED_LOG_LEVEL: 'info' });
    const warnings = () =>
      server.logs.filter((line) => line.level === 40 && String(line.msg).includes('X-Forwarded-For'));
    await fetch(url('/healthz'));
    expect(warnings()).toEqual([]);
    for (let request = 0; request < 3; request++) {
      await fetch(url('/healthz'), { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    }
    expect(warnings()).toHaveLength(1);
    expect(String(warnings()[0]?.msg)).toContain('VETTED_TRUST_PROXY');
    expect(server.logText()).not.toContain('203.0.113.9');
  });

  it('says nothing about X-Forwarded-For when the proxy is trusted', async () => {
    server = await startOidcServer({ VETTED_TRUST_PROXY: 'true' });
    await fetch(url('/healthz'), { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(server.logs.filter((line) => String(line.msg).includes('X-Forwarded-For'))).toEqual([]);
  });
});
