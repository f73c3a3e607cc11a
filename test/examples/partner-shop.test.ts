import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShop, type RunningShop } from '../../examples/partner-shop/src/shop.ts';
import {
  authorize,
  authorizeUrl,
  Browser,
  csrfToken,
  registerApp,
  registerUser,
  startOidcServer,
  type TestApp,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * The example partner shop (examples/partner-shop) against the real Vetted, both in this process, driven
 * over HTTP. Each visitor has two cookie jars, one per site, since the test Browser does not scope cookies by
 * host; the shop's jar carries its session from the home page to the callback, as a browser's would.
 */

const CSP =
  "default-src 'self'; script-src 'self' {vetted}; img-src 'self' data:; style-src 'self'; " +
  "base-uri 'none'; frame-ancestors 'none'";

/** The attributes of each `<span data-vetted-button …>` on a page. */
function buttons(page: string): Record<string, string>[] {
  return [...page.matchAll(/<span data-vetted-button([^>]*)><\/span>/g)].map((match) =>
    Object.fromEntries(
      [...(match[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((attribute): [string, string] => [
        attribute[1] ?? '',
        attribute[2] ?? '',
      ]),
    ),
  );
}

function stateOf(page: string): string {
  const state = buttons(page)[0]?.['data-state'];
  if (state === undefined) throw new Error(`no verify button on the page:\n${page}`);
  return state;
}

/** Visible text, roughly: tags dropped, whitespace collapsed, the few entities the views use decoded. */
function text(page: string): string {
  return page
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('the example partner shop', () => {
  let server: TestServer;
  let app: TestApp;
  let shop: RunningShop;
  let now = Date.now();
  const loggedErrors: unknown[] = [];

  beforeAll(async () => {
    server = await startOidcServer();
    shop = await startShop({
      vettedUrl: server.config.baseUrl,
      port: 0,
      host: '127.0.0.1',
      now: () => now,
      logError: (_message, error) => loggedErrors.push(error),
      // The shop binds its port first and registers its callback URL with it, as main.ts does with the CLI.
      credentials: async (redirectUri) => {
        app = await registerApp(server, { redirectUris: [redirectUri], scopes: ['military', 'responder'] });
        return app;
      },
    });
  });
  afterAll(async () => {
    await shop.close();
    await server.stop();
  });

  const tokenRequests = () =>
    server.logs.filter((line) => line.msg === 'request' && line.path === '/oauth/token').length;

  /** What the verify button does: Vetted's authorization URL with the page's state, walked through Vetted. */
  async function throughVetted(
    state: string | undefined,
    user: TestUser,
    options: { decision?: 'allow' | 'deny'; scope?: string } = {},
  ): Promise<URL> {
    const url = authorizeUrl(server, {
      client_id: app.clientId,
      redirect_uri: shop.redirectUri,
      response_type: 'code',
      scope: options.scope ?? 'military',
      ...(state === undefined ? {} : { state }),
    });
    const journey = await authorize(new Browser(), server, url, {
      user,
      ...(options.decision === undefined ? {} : { decision: options.decision }),
    });
    if (journey.callback === undefined) throw new Error(`Vetted did not redirect back: ${journey.page}`);
    expect(journey.callback.origin + journey.callback.pathname).toBe(shop.redirectUri);
    return journey.callback;
  }

  async function visit(browser: Browser, path: string) {
    const response = await browser.request(new URL(path, shop.url));
    return { status: response.status, headers: response.headers, page: await response.text() };
  }

  it('registers its callback URL on the port it bound', () => {
    expect(shop.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(shop.redirectUri).toBe(`${shop.url}/callback`);
    expect(shop.clientId).toBe(app.clientId);
    expect(app.redirectUri).toBe(shop.redirectUri);
  });

  it('gives a verified veteran 15% off, kept across reloads, and never exchanges a replayed callback', async () => {
    const browser = new Browser();
    const home = await visit(browser, '/');
    expect(home.status).toBe(200);
    expect(text(home.page)).toContain('Military members and veterans get 15% off');
    expect(text(home.page)).toContain('$89.00');
    expect(text(home.page)).not.toContain('15% off applied');

    const user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const callback = await throughVetted(stateOf(home.page), user);
    const before = tokenRequests();
    const landed = await browser.request(callback);
    expect(landed.status).toBe(200);
    const page = await landed.text();
    expect(tokenRequests()).toBe(before + 1);
    expect(text(page)).toContain('Verified: Veteran — 15% off applied');
    expect(text(page)).toContain('Your price: $75.65');
    expect(buttons(page)).toEqual([]);
    // The popup flow: button.js (window.Vetted) first, then shop.js, which hands this URL to the opener.
    const scripts = [...page.matchAll(/<script src="([^"]+)"><\/script>/g)].map((match) => match[1]);
    expect(scripts).toEqual([`${server.config.baseUrl}/js/button.js`, '/static/shop.js']);

    const reload = await visit(browser, '/');
    expect(text(reload.page)).toContain('Verified: Veteran — 15% off applied');
    expect(text(reload.page)).toContain('Your price: $75.65');

    // The opener of a popup loads the popup's callback URL again; so do the back button and a reload.
    const replay = await browser.request(callback);
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/');
    expect(tokenRequests()).toBe(before + 1);
    expect(text((await visit(browser, '/')).page)).toContain('15% off applied');
  });

  it('takes "no" for an answer with a friendly notice and the buttons again', async () => {
    const browser = new Browser();
    const state = stateOf((await visit(browser, '/')).page);
    const callback = await throughVetted(state, await registerUser(server), { decision: 'deny' });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    const before = tokenRequests();
    const response = await browser.request(callback);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(text(page)).toContain('No problem — you can verify any time to get the discount.');
    expect(text(page)).not.toContain('15% off applied');
    expect(buttons(page)).toHaveLength(3);
    expect(tokenRequests()).toBe(before);
    // Shown once more on the home page (where a popup's opener lands), then gone.
    expect(text((await visit(browser, '/')).page)).toContain('No problem');
    expect(text((await visit(browser, '/')).page)).not.toContain('No problem');
  });

  it('names the error code of any other error', async () => {
    const browser = new Browser();
    const state = stateOf((await visit(browser, '/')).page);
    const response = await visit(browser, `/callback?error=temporarily_unavailable&state=${state}`);
    expect(response.status).toBe(200);
    expect(text(response.page)).toContain('temporarily_unavailable');
  });

  it('turns a failed code exchange into a notice, not an error page', async () => {
    const browser = new Browser();
    const state = stateOf((await visit(browser, '/')).page);
    const iss = encodeURIComponent(`${server.config.baseUrl}/oidc`);
    const response = await visit(browser, `/callback?code=not-a-real-code&state=${state}&iss=${iss}`);
    expect(response.status).toBe(200);
    expect(text(response.page)).toContain('Something went wrong while checking with Vetted');
    expect(text(response.page)).toContain('invalid_grant');
    expect(response.page).not.toMatch(/\bat .+\.ts:\d+/);
    expect(loggedErrors).toHaveLength(1);
    loggedErrors.length = 0;
  });

  it('refuses an unknown state with a friendly page, and a state issued to another session', async () => {
    const unknown = await visit(new Browser(), '/callback?code=abc&state=not-a-state-we-issued');
    expect(unknown.status).toBe(400);
    expect(text(unknown.page)).toContain(
      'This verification link has expired or was already used — try again',
    );
    expect(unknown.page).toContain('href="/"');
    expect(unknown.headers.get('content-security-policy')).toBe(
      CSP.replace('{vetted}', server.config.baseUrl),
    );

    const theirs = stateOf((await visit(new Browser(), '/')).page);
    const mine = await visit(new Browser(), `/callback?error=access_denied&state=${theirs}`);
    expect(mine.status).toBe(400);
  });

  it('tells a signed-in user without a verification that Vetted could not confirm it', async () => {
    const browser = new Browser();
    const state = stateOf((await visit(browser, '/')).page);
    const callback = await throughVetted(state, await registerUser(server));
    const response = await browser.request(callback);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(text(page)).toContain(
      'Vetted could not confirm military or first responder status for this account',
    );
    expect(text(page)).not.toContain('15% off applied');
    expect(text(page)).not.toContain('Your price');
  });

  it('accepts a first responder through the multi-community button', async () => {
    const browser = new Browser();
    const state = stateOf((await visit(browser, '/')).page);
    const user = await registerUser(server, { verify: [['responder', 'Firefighter']] });
    const callback = await throughVetted(state, user, { scope: 'responder' });
    const page = await (await browser.request(callback)).text();
    expect(text(page)).toContain('Verified: Firefighter — 15% off applied');
  });

  it('keeps the states of several renders pending, so two tabs both work', async () => {
    const browser = new Browser();
    const first = stateOf((await visit(browser, '/')).page);
    const second = stateOf((await visit(browser, '/')).page);
    expect(second).not.toBe(first);
    const user = await registerUser(server, { verify: [['military', 'Service Member']] });
    const page = await (await browser.request(await throughVetted(first, user))).text();
    expect(text(page)).toContain('Verified: Service Member — 15% off applied');
  });

  it('forgets the verification on a CSRF-protected POST /forget', async () => {
    const browser = new Browser();
    const state = stateOf((await visit(browser, '/')).page);
    const user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const page = await (await browser.request(await throughVetted(state, user))).text();
    expect(page).toMatch(/<form method="post" action="\/forget">/);
    const token = csrfToken(page);
    expect(token).not.toBe('');

    const forged = await browser.request(new URL('/forget', shop.url), { form: { other: 'x' } });
    expect(forged.status).toBe(403);
    const wrong = await browser.request(new URL('/forget', shop.url), { form: { _csrf: `${token}x` } });
    expect(wrong.status).toBe(403);
    expect(text((await visit(browser, '/')).page)).toContain('15% off applied');

    const forget = await browser.request(new URL('/forget', shop.url), { form: { _csrf: token } });
    expect(forget.status).toBe(303);
    expect(forget.headers.get('location')).toBe('/');
    const after = await visit(browser, '/');
    expect(text(after.page)).not.toContain('15% off applied');
    expect(buttons(after.page)).toHaveLength(3);
  });

  it('serves every page with the CSP and the verify buttons with their data attributes', async () => {
    const browser = new Browser();
    const csp = CSP.replace('{vetted}', server.config.baseUrl);
    const home = await visit(browser, '/');
    expect(home.headers.get('content-security-policy')).toBe(csp);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    expect(home.page).not.toMatch(/<script>|<style|style="/);
    expect(home.page).toContain(`<script src="${server.config.baseUrl}/js/button.js"></script>`);
    expect(home.page).toMatch(/<main id="main">/);
    expect(home.page).toMatch(/<h1>Partner Shop<\/h1>/);

    const common = {
      'data-client-id': app.clientId,
      'data-redirect': shop.redirectUri,
      'data-response': 'code',
      'data-state': stateOf(home.page),
    };
    expect(buttons(home.page)).toEqual([
      { ...common, 'data-scope': 'military', 'data-display': 'popup', 'data-size': 'large' },
      { ...common, 'data-scope': 'military', 'data-theme': 'dark' },
      {
        ...common,
        'data-scope': 'military,responder',
        'data-text': 'Verify military or first responder status',
      },
    ]);
    // The state is this session's: Vetted's answer with it is taken.
    const denied = await visit(browser, `/callback?error=access_denied&state=${common['data-state']}`);
    expect(denied.status).toBe(200);
    expect(denied.headers.get('content-security-policy')).toBe(csp);

    for (const path of ['/static/shop.css', '/static/shop.js', '/idme-compatible', '/nowhere']) {
      const response = await visit(browser, path);
      expect(response.status, path).toBe(path === '/nowhere' ? 404 : 200);
      expect(response.headers.get('content-security-policy'), path).toBe(csp);
    }
  });

  describe('the ID.me-compatible page', () => {
    it("carries ID.me's widget markup with the script from Vetted", async () => {
      const { page } = await visit(new Browser(), '/idme-compatible');
      expect(page).toContain(
        `<span id='idme-wallet-button' data-scope='military' data-client-id='${app.clientId}' ` +
          `data-redirect='${shop.redirectUri}' data-response='code'></span>` +
          `<script src='${server.config.baseUrl}/js/idme-wallet-button.js'></script>`,
      );
      expect(text(page)).toContain('state');
    });

    it('lets this session complete a callback without state within 10 minutes of opening it', async () => {
      const browser = new Browser();
      await visit(browser, '/idme-compatible');
      const user = await registerUser(server, { verify: [['military', 'Retiree']] });
      const callback = await throughVetted(undefined, user);
      expect(callback.searchParams.has('state')).toBe(false);
      const response = await browser.request(callback);
      expect(response.status).toBe(200);
      expect(text(await response.text())).toContain('Verified: Retiree — 15% off applied');
      const replay = await browser.request(callback);
      expect(replay.status).toBe(303);
    });

    it('refuses a callback without state in a session that did not open it, or opened it too long ago', async () => {
      const user = await registerUser(server, { verify: [['military', 'Veteran']] });
      const stranger = await new Browser().request(await throughVetted(undefined, user));
      expect(stranger.status).toBe(400);

      const late = new Browser();
      await visit(late, '/idme-compatible');
      now += 10 * 60 * 1000 + 1;
      expect((await late.request(await throughVetted(undefined, user))).status).toBe(400);
    });
  });
});
