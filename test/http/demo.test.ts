import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoShop } from '../../src/partners/demo-shop.ts';
import { SANDBOX_PERSONA_PASSWORD } from '../../src/verification/sources/sandbox.ts';
import {
  authorize,
  Browser,
  csrfToken,
  formAction,
  startOidcServer,
  type JourneyResult,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** Issue 14 point 4: the development demo closes the loop on Vetted's own callback page. */
describe('the demo sign-in', () => {
  let server: TestServer;
  const url = (path: string) => new URL(path, server.config.baseUrl);

  beforeAll(async () => {
    server = await startOidcServer({ VETTED_DEMO: 'true' });
  });
  afterAll(() => server.stop());

  /** /demo → Start a sign-in: the authorization URL the browser is sent to. */
  async function start(browser: Browser, community = 'military'): Promise<URL> {
    const demo = await browser.request(url('/demo'));
    expect(demo.status).toBe(200);
    const page = await demo.text();
    const started = await browser.request(url(formAction(page, '/demo/start') ?? ''), {
      form: { _csrf: csrfToken(page), community },
    });
    expect(started.status).toBe(303);
    return new URL(started.headers.get('location') ?? '');
  }

  /** Signs in as the persona, verifies with the sandbox, answers consent; the page the callback shows. */
  async function signIn(
    browser: Browser,
    authorization: URL,
    persona: string,
    decision: 'allow' | 'deny' = 'allow',
  ): Promise<JourneyResult> {
    const user = { id: '', email: persona, password: SANDBOX_PERSONA_PASSWORD };
    const atVerify = await authorize(browser, server, authorization, { user, verify: 'stop', decision });
    const sandbox = formAction(atVerify.page, '/verify/sandbox');
    // A persona verified by an earlier test goes straight to consent.
    if (sandbox === undefined) return atVerify;
    const verified = await browser.request(url(sandbox), { form: { _csrf: csrfToken(atVerify.page) } });
    const next = new URL(verified.headers.get('location') ?? '', server.config.baseUrl);
    return authorize(browser, server, next, { user, decision });
  }

  it('makes the Demo Shop once, in development, with a persona of every community and outcome', async () => {
    const shop = await server.services.applications.findByClientId('demo-shop');
    expect(shop).toMatchObject({
      name: 'Demo Shop',
      clientType: 'public',
      mode: 'sandbox',
      redirectUris: [`${server.config.baseUrl}/demo/callback`],
    });
    const communities = await server.services.communities.list();
    expect(shop?.allowedScopes).toEqual(expect.arrayContaining(communities.map((c) => c.handle)));
    for (const community of communities) {
      const page = await (await new Browser().request(url(`/demo?community=${community.handle}`))).text();
      expect(page).toContain(SANDBOX_PERSONA_PASSWORD);
      for (const outcome of ['pass', 'review', 'reject', 'expired']) {
        expect(page).toContain(`${community.handle}.${outcome}@sandbox.vetted.test`);
      }
    }
  });

  it('exchanges the code over HTTP and shows a verified persona\'s attributes: "verified": true', async () => {
    const browser = new Browser();
    const authorization = await start(browser);
    expect(authorization.pathname).toBe('/oauth/authorize');
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('redirect_uri')).toBe(`${server.config.baseUrl}/demo/callback`);
    const journey = await signIn(browser, authorization, 'military.pass@sandbox.vetted.test');
    expect(journey.shown).toEqual(['consent']);
    expect(journey.status).toBe(200);
    const page = journey.page;
    expect(page).toContain('Sign-in result');
    expect(page).toContain(`POST ${server.config.baseUrl}/oauth/token`);
    expect(page).toContain('grant_type=authorization_code');
    expect(page).toContain('code_verifier=');
    expect(page).toContain('Response (HTTP 200)');
    expect(page).toContain(`GET ${server.config.baseUrl}/api/public/v3/attributes.json`);
    expect(page).toContain('&quot;verified&quot;: true');
    expect(page).toContain('verified: true');
    // Tokens are shortened on the page, never shown whole.
    const shown = /&quot;access_token&quot;: &quot;([^&]+)&quot;/.exec(page)?.[1] ?? '';
    expect(shown).toMatch(/^.{8}….{4}$/);
  });

  it('explains a refusal (access_denied) on the callback page', async () => {
    const browser = new Browser();
    const journey = await signIn(browser, await start(browser), 'military.pass@sandbox.vetted.test', 'deny');
    expect(journey.status).toBe(200);
    expect(journey.page).toContain('Access denied');
    expect(journey.page).toContain('error=access_denied');
  });

  it('refuses an answer whose state this browser did not send, without exchanging the code', async () => {
    const browser = new Browser();
    await start(browser);
    const response = await browser.request(url('/demo/callback?code=abc&state=forged'));
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('The state does not match');
    expect(page).not.toContain('/oauth/token');
  });

  it('answers a callback no sign-in started here with an explanation, never a 500', async () => {
    const response = await new Browser().request(url('/demo/callback?code=abc&state=xyz'));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('No sign-in was started here');
  });

  it('explains a code that cannot be exchanged (already used, or expired)', async () => {
    const browser = new Browser();
    const journey = await signIn(browser, await start(browser), 'military.pass@sandbox.vetted.test');
    expect(journey.page).toContain('verified: true');
    // The used code brought back inside a new flow of the same browser (its state checks out): the token
    // endpoint refuses it, and the page says why.
    const code = /returned the code <code class="value">([^<]+)<\/code>/.exec(journey.page)?.[1] ?? '';
    const again = await start(browser);
    const state = again.searchParams.get('state') ?? '';
    const replay = await browser.request(
      url(`/demo/callback?code=${encodeURIComponent(code)}&state=${state}`),
    );
    expect(replay.status).toBe(200);
    const page = await replay.text();
    expect(page).toContain('The code could not be exchanged');
    expect(page).toContain('invalid_grant');
  });
});

describe('the demo outside development', () => {
  it('is a 404 in production and when turned off', async () => {
    const server = await startOidcServer({ VETTED_DEMO: 'false' });
    try {
      expect(server.services.config.demo).toBe(false);
      expect(await server.services.applications.findByClientId('demo-shop')).toBeUndefined();
      for (const path of ['/demo', '/demo/callback?code=a&state=b']) {
        expect((await new Browser().request(new URL(path, server.config.baseUrl))).status).toBe(404);
      }
    } finally {
      await server.stop();
    }
  });
});

describe('making the Demo Shop', () => {
  it('makes one shop when several instances start at once on an empty database, and none once there are apps', async () => {
    const server = await startOidcServer({ VETTED_DEMO: 'false' });
    try {
      const { services } = server;
      const deps = {
        accounts: services.accounts,
        organizations: services.organizations,
        applications: services.applications,
        communities: () => services.communities.list(),
        logger: services.logger,
        baseUrl: server.config.baseUrl,
      };
      const outcomes = await Promise.all([ensureDemoShop(deps), ensureDemoShop(deps), ensureDemoShop(deps)]);
      expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(1);
      const shops = await services.applications.search({ query: 'demo-shop', limit: 10, offset: 0 });
      expect(shops.items.map((app) => app.clientId)).toEqual(['demo-shop']);
      expect(await ensureDemoShop(deps)).toBe('skipped');
    } finally {
      await server.stop();
    }
  });
});
