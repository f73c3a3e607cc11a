import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PERSONA_PASSWORD } from '../../src/verification/sources/sandbox.ts';
import {
  authorize,
  Browser,
  csrfToken,
  formAction,
  registerUser,
  startOidcServer,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * Issue 14: the console's "Test this app" keeps its PKCE verifier, returns to Vetted's test callback, and the
 * real token response there ticks the production checklist's "A sandbox authorization went through".
 */
describe('"Test this app" in the developer console', () => {
  let server: TestServer;
  const url = (path: string) => new URL(path, server.config.baseUrl);
  const persona = { id: '', email: 'military.pass@sandbox.vetted.test', password: SANDBOX_PERSONA_PASSWORD };

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

  async function sandboxApp(owner: TestUser, clientType: 'public' | 'confidential') {
    const org = await server.services.organizations.create(
      { name: 'Test Co', ownerUserId: owner.id },
      { type: 'operator' },
    );
    const { application, clientSecret } = await server.services.applications.create(
      {
        name: 'Test Shop',
        redirectUris: ['https://test-shop.example/callback'],
        scopes: ['military'],
        mode: 'sandbox',
        clientType,
        organizationId: org.id,
      },
      { type: 'operator' },
    );
    const path = `/developer/orgs/${org.id}/apps/${application.clientId}`;
    return { clientId: application.clientId, clientSecret: clientSecret ?? '', path };
  }

  /** Presses "Test this app", signs in as the persona (verifying once), allows; the callback's page. */
  async function testThisApp(browser: Browser, path: string) {
    const sandbox = await (await browser.request(url(`${path}/sandbox`))).text();
    const action = formAction(sandbox, '/sandbox/test');
    expect(action).toBe(`${path}/sandbox/test`);
    const started = await browser.request(url(action ?? ''), { form: { _csrf: csrfToken(sandbox) } });
    expect(started.status).toBe(303);
    const authorization = new URL(started.headers.get('location') ?? '');
    expect(authorization.searchParams.get('redirect_uri')).toBe(`${server.config.baseUrl}/demo/callback`);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    const first = await authorize(browser, server, authorization, { user: persona, verify: 'stop' });
    const verify = formAction(first.page, '/verify/sandbox');
    if (verify === undefined) return first;
    const verified = await browser.request(url(verify), { form: { _csrf: csrfToken(first.page) } });
    return authorize(
      browser,
      server,
      new URL(verified.headers.get('location') ?? '', server.config.baseUrl),
      {
        user: persona,
      },
    );
  }

  async function checklist(browser: Browser, path: string): Promise<string> {
    return (await (await browser.request(url(`${path}/production`))).text()).replace(/\s+/g, ' ');
  }
  const ticked =
    'A sandbox authorization went through (a token was issued)<span class="visually-hidden">: done';

  it("completes a confidential app's sandbox authorization with the secret pasted once, and ticks the checklist", async () => {
    const developer = await registerUser(server);
    const app = await sandboxApp(developer, 'confidential');
    const browser = await signedIn(developer);
    expect(await checklist(browser, app.path)).not.toContain(ticked);

    const journey = await testThisApp(browser, app.path);
    expect(journey.status).toBe(200);
    expect(journey.page).toContain('Exchange the code');
    const exchange = formAction(journey.page, '/demo/callback') ?? '';
    const hidden = (name: string) =>
      new RegExp(`name="${name}" value="([^"]+)"`).exec(journey.page)?.[1] ?? '';

    const wrong = await browser.request(url(exchange), {
      form: {
        _csrf: csrfToken(journey.page),
        code: hidden('code'),
        state: hidden('state'),
        client_secret: 'nope',
      },
    });
    expect(wrong.status).toBe(400);
    const again = await wrong.text();
    expect(again).toContain('The client secret is not right for this application.');

    const done = await browser.request(url(exchange), {
      form: {
        _csrf: csrfToken(again),
        code: hidden('code'),
        state: hidden('state'),
        client_secret: app.clientSecret,
      },
    });
    expect(done.status).toBe(200);
    const page = await done.text();
    expect(page).toContain('Response (HTTP 200)');
    expect(page).toContain('Authorization: Basic base64(');
    expect(page).not.toContain(app.clientSecret);
    expect(page).toContain('verified: true');
    expect(page).toContain(`href="${app.path}/production"`);
    expect(await checklist(browser, app.path)).toContain(ticked);
  });

  it("exchanges a public app's code at once with the kept verifier", async () => {
    const developer = await registerUser(server);
    const app = await sandboxApp(developer, 'public');
    const browser = await signedIn(developer);
    const journey = await testThisApp(browser, app.path);
    expect(journey.page).toContain('code_verifier=');
    expect(journey.page).toContain('verified: true');
    expect(await checklist(browser, app.path)).toContain(ticked);
  });

  it('shows the result only to the developer who started the test', async () => {
    const developer = await registerUser(server);
    const app = await sandboxApp(developer, 'public');
    const browser = await signedIn(developer);
    const sandbox = await (await browser.request(url(`${app.path}/sandbox`))).text();
    const started = await browser.request(url(`${app.path}/sandbox/test`), {
      form: { _csrf: csrfToken(sandbox) },
    });
    const state = new URL(started.headers.get('location') ?? '').searchParams.get('state') ?? '';
    // The same browser, signed out of the console: the callback does not exchange anything.
    const signOut = await browser.request(url('/account/sign-out'), { form: { _csrf: csrfToken(sandbox) } });
    expect(signOut.status).toBe(303);
    const response = await browser.request(url(`/demo/callback?code=abc&state=${state}`));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Sign in to the developer console');
  });

  it('lets only sandbox applications return to the test callback', async () => {
    const developer = await registerUser(server);
    const app = await sandboxApp(developer, 'public');
    await server.services.applications.setMode(app.clientId, 'production', { type: 'operator' });
    const authorization = url('/oauth/authorize');
    authorization.search = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: `${server.config.baseUrl}/demo/callback`,
      response_type: 'code',
      scope: 'openid',
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
    }).toString();
    const response = await new Browser().request(authorization);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('This return address is not registered');
  });
});
