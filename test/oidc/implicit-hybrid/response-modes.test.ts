import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  ALL_RESPONSE_TYPES,
  attributes,
  authorize,
  authorizeDirect,
  authorizeUrl,
  Browser,
  call,
  exchangeCode,
  pageForm,
  registerApp,
  registerUser,
  REDIRECT_URI,
  responseParams,
  startOidcServer,
  verifyServerJwt,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

describe('response modes: query, fragment, form_post', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;
  const browser = new Browser();

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { responseTypes: [...ALL_RESPONSE_TYPES] });
    user = await registerUser(server, { verify: [['military', 'Service Member']] });
  });
  afterAll(() => server.stop());

  const journey = (params: Record<string, string>) =>
    authorize(
      browser,
      server,
      authorizeUrl(server, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        scope: 'military',
        state: 'st-2',
        ...params,
      }),
      { user },
    );

  it('code answers in the query by default, and in the fragment when asked', async () => {
    const byDefault = (await journey({ response_type: 'code' })).callback;
    expect(byDefault?.searchParams.get('code')).toEqual(expect.any(String));
    expect(byDefault?.hash).toBe('');
    const explicit = (await journey({ response_type: 'code', response_mode: 'query' })).callback;
    expect(explicit?.searchParams.get('state')).toBe('st-2');
    const fragment = (await journey({ response_type: 'code', response_mode: 'fragment' })).callback;
    expect(fragment?.search).toBe('');
    expect(responseParams(fragment)).toMatchObject({ code: expect.any(String), state: 'st-2' });
  });

  it('a response carrying tokens is never put in the query → invalid_request', async () => {
    for (const type of ['code token', 'code id_token', 'id_token token']) {
      const response = await authorizeDirect(server, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: type,
        response_mode: 'query',
        scope: 'openid military',
        nonce: 'n',
        state: 'st-2',
      });
      expect(response.params).toMatchObject({ error: 'invalid_request', state: 'st-2' });
    }
  });

  /** The auto-submitting page: a POST form to the redirect URI whose inline script the CSP allows. */
  function expectFormPost(result: { page: string; status: number }) {
    expect(result.page).toMatch(/<form method="post" action="https:\/\/partner\.example\/callback">/);
    const script = /<script>([\s\S]*?)<\/script>/.exec(result.page)?.[1] ?? '';
    expect(script).toContain('document.forms[0].submit()');
    return { script, ...pageForm(result.page) };
  }

  it('form_post: an HTML page that posts the code and state to the redirect URI by itself', async () => {
    const url = authorizeUrl(server, {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      response_mode: 'form_post',
      scope: 'military',
      state: 'a"b<c>',
    });
    await journey({ response_type: 'code' });
    const response = await browser.request(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const page = await response.text();
    const { script, action, fields } = expectFormPost({ page, status: response.status });
    expect(action).toBe(REDIRECT_URI);
    expect(fields).toEqual({
      code: expect.any(String),
      state: 'a"b<c>',
      iss: `${server.config.baseUrl}/oidc`,
    });
    const digest = createHash('sha256').update(script).digest('base64');
    expect(response.headers.get('content-security-policy')).toContain(`'sha256-${digest}'`);
    expect((await exchangeCode(server, app, fields.code!)).status).toBe(200);
  });

  it('form_post: code id_token token posts all of them', async () => {
    const result = await journey({
      response_type: 'code id_token token',
      response_mode: 'form_post',
      scope: 'openid military',
      nonce: 'n-fp',
    });
    expect(result.callback).toBeUndefined();
    expect(result.status).toBe(200);
    const { fields } = expectFormPost(result);
    expect(Object.keys(fields).sort()).toEqual([
      'access_token',
      'code',
      'expires_in',
      'id_token',
      'scope',
      'state',
      'token_type',
    ]);
    const { payload } = await verifyServerJwt(server, fields.id_token!, app.clientId);
    expect(payload).toMatchObject({ nonce: 'n-fp', sub: user.id });
    expect((await attributes(server, fields.access_token)).status).toBe(200);
  });

  it('form_post: errors are posted back too', async () => {
    const response = await authorizeDirect(server, {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      response_mode: 'form_post',
      scope: 'wizard',
      state: 'st-e',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const { action, fields } = pageForm(response.text);
    expect(action).toBe(REDIRECT_URI);
    expect(fields).toMatchObject({ error: 'invalid_scope', state: 'st-e' });
  });

  it('a new application gets only the code response type', async () => {
    const fresh = await registerApp(server);
    expect((await server.services.applications.findByClientId(fresh.clientId))?.responseTypes).toEqual([
      'code',
    ]);
    for (const [type, extra] of [
      ['token', {}],
      ['code token', {}],
      ['id_token', { scope: 'openid military', nonce: 'n' }],
      ['code id_token token', { scope: 'openid military', nonce: 'n' }],
    ] as const) {
      const response = await authorizeDirect(server, {
        client_id: fresh.clientId,
        redirect_uri: fresh.redirectUri,
        response_type: type,
        scope: 'military',
        state: 'new',
        ...extra,
      });
      expect(response.params).toMatchObject({ error: 'unauthorized_client', state: 'new' });
    }
    const code = await call(
      server,
      authorizeUrl(server, {
        client_id: fresh.clientId,
        redirect_uri: fresh.redirectUri,
        response_type: 'code',
        scope: 'military',
      }),
    );
    expect(code.status).toBe(303);
    expect(code.headers.get('location')).toMatch(/^\/interaction\//);
  });
});
