import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  authorize,
  Browser,
  codeFlow,
  exchangeCode,
  registerApp,
  registerUser,
  responseParams,
  startOidcServer,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

/**
 * OpenID Connect Core §3.1.2.1: the authorization endpoint accepts POST as well as GET (SPEC §2). A form POST
 * is answered with a 303 to the same request as a GET, so everything else behaves as for GET.
 */
describe('POST to the authorization endpoint', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { responseTypes: ['code', 'token'] });
    user = await registerUser(server, { verify: [['military', 'Veteran']] });
  });
  afterAll(() => server.stop());

  async function post(browser: Browser, form: Record<string, string>) {
    const response = await browser.request(new URL('/oauth/authorize', server.config.baseUrl), { form });
    expect(response.status).toBe(303);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const location = new URL(response.headers.get('location') ?? '', server.config.baseUrl);
    expect(location.origin).toBe(new URL(server.config.baseUrl).origin);
    expect(location.pathname).toBe('/oauth/authorize');
    return location;
  }

  it('runs the whole code flow: sign-in, consent, code with the state, token', async () => {
    const browser = new Browser();
    const get = await post(browser, {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      scope: 'military',
      state: 'posted & kept',
      eid: 'POST-1',
    });
    const journey = await authorize(browser, server, get, { user });
    expect(journey.shown).toEqual(['sign-in', 'consent']);
    const params = responseParams(journey.callback);
    expect(params.state).toBe('posted & kept');
    const token = await exchangeCode(server, app, params.code ?? '');
    expect(token.status).toBe(200);
    const v3 = await attributes(server, String(token.body.access_token));
    expect(v3.json?.attributes).toContainEqual({
      handle: 'eid',
      name: 'External Identifier',
      value: 'POST-1',
    });
  });

  it('uses an existing Vetted session (single sign-on) like a GET does', async () => {
    const browser = new Browser();
    await codeFlow(server, app, user, {}, browser);
    const get = await post(browser, {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      scope: 'military',
    });
    const journey = await authorize(browser, server, get);
    expect(journey.shown).toEqual([]);
    expect(responseParams(journey.callback).code).toEqual(expect.any(String));
  });

  it('serves the client-side flow (response_type=token) too', async () => {
    const browser = new Browser();
    const get = await post(browser, {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'token',
      scope: 'military',
      state: 'p',
    });
    const params = responseParams((await authorize(browser, server, get, { user })).callback);
    expect(params).toMatchObject({ token_type: 'Bearer', state: 'p' });
    expect(params.code).toBeUndefined();
    expect((await attributes(server, params.access_token)).status).toBe(200);
  });

  it('keeps repeated parameters, which the GET then refuses', async () => {
    const browser = new Browser();
    const response = await fetch(new URL('/oauth/authorize', server.config.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `client_id=${app.clientId}&redirect_uri=${encodeURIComponent(app.redirectUri)}&response_type=code&scope=military&scope=student&state=d`,
      redirect: 'manual',
    });
    const get = new URL(response.headers.get('location') ?? '', server.config.baseUrl);
    expect(get.searchParams.getAll('scope')).toEqual(['military', 'student']);
    const answer = await browser.request(get);
    const location = new URL(answer.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });
});
