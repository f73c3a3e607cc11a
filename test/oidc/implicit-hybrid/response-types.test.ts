import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  ALL_RESPONSE_TYPES,
  attributes,
  authorize,
  authorizeDirect,
  authorizeUrl,
  Browser,
  exchangeCode,
  halfHash,
  registerApp,
  registerUser,
  REDIRECT_URI,
  responseParams,
  startOidcServer,
  verifyServerJwt,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

describe('response types: implicit (token, id_token) and hybrid', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;
  const browser = new Browser();

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { responseTypes: [...ALL_RESPONSE_TYPES] });
    user = await registerUser(server, { verify: [['military', 'Veteran']] });
  });
  afterAll(() => server.stop());

  /** The parameters the partner receives, and where (query or fragment). */
  async function respond(responseType: string, params: Record<string, string> = {}) {
    const journey = await authorize(
      browser,
      server,
      authorizeUrl(server, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: responseType,
        scope: 'military',
        state: 'st-1',
        ...params,
      }),
      { user },
    );
    const callback = journey.callback;
    expect(`${callback?.origin ?? ''}${callback?.pathname ?? ''}`).toBe(REDIRECT_URI);
    return { params: responseParams(callback), search: callback?.search ?? '', hash: callback?.hash ?? '' };
  }

  it('token (the client-side flow): an access token in the fragment and no code', async () => {
    const { params, search } = await respond('token');
    expect(search).toBe('');
    expect(params).toEqual({
      access_token: expect.stringMatching(/^[\w-]{40,}$/),
      token_type: 'Bearer',
      expires_in: '300',
      scope: 'military',
      state: 'st-1',
      iss: `${server.config.baseUrl}/oidc`,
    });
    const v3 = await attributes(server, params.access_token);
    expect(v3.status).toBe(200);
    expect(v3.json?.status).toEqual([{ group: 'military', subgroups: ['Veteran'], verified: true }]);
  });

  it('token: the internal marker parameter is ignored when a client sends it itself', async () => {
    const { params } = await respond('code token', { vetted_response_type: 'token' });
    expect(params.code).toEqual(expect.any(String));
    expect(params.access_token).toEqual(expect.any(String));
  });

  it('token: answered in the fragment only (query and form_post → invalid_request)', async () => {
    for (const mode of ['query', 'form_post']) {
      const response = await authorizeDirect(server, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: 'token',
        scope: 'military',
        state: 'st-1',
        response_mode: mode,
      });
      expect(response.status).toBeLessThan(500);
      const error = response.params.error ?? /name="error" value="([^"]+)"/.exec(response.text)?.[1];
      expect(error).toBe('invalid_request');
      expect(response.text).not.toContain('access_token');
    }
  });

  it('token: a public application may use it without PKCE (there is no code to protect)', async () => {
    const spa = await registerApp(server, {
      clientType: 'public',
      redirectUris: ['https://spa.partner.example/callback'],
      responseTypes: ['code', 'token'],
    });
    const journey = await authorize(
      browser,
      server,
      authorizeUrl(server, {
        client_id: spa.clientId,
        redirect_uri: spa.redirectUri,
        response_type: 'token',
        scope: 'military',
        state: 'spa',
      }),
      { user },
    );
    const params = responseParams(journey.callback);
    expect(params).toMatchObject({ token_type: 'Bearer', state: 'spa' });
    expect(params.code).toBeUndefined();
    expect((await attributes(server, params.access_token)).status).toBe(200);
  });

  it('id_token: needs the openid scope and a nonce', async () => {
    const base = { client_id: app.clientId, redirect_uri: app.redirectUri, response_type: 'id_token' };
    const noOpenid = await authorizeDirect(server, { ...base, scope: 'military', nonce: 'n', state: 's' });
    expect(noOpenid.params).toMatchObject({ error: 'invalid_request', state: 's' });
    expect(noOpenid.params.error_description).toContain('openid');
    const noNonce = await authorizeDirect(server, { ...base, scope: 'openid military', state: 's' });
    expect(noNonce.params).toMatchObject({ error: 'invalid_request', state: 's' });
    expect(noNonce.params.error_description).toContain('nonce');
  });

  it('id_token: a signed ID token in the fragment, verified against the JWKS', async () => {
    const { params, search } = await respond('id_token', {
      scope: 'openid military profile',
      nonce: 'n-0S6',
    });
    expect(search).toBe('');
    // RFC 9207 §2: `iss` may be left out when an ID token (which carries it) is in the response.
    expect(Object.keys(params).sort()).toEqual(['id_token', 'state']);
    const { payload, protectedHeader } = await verifyServerJwt(server, params.id_token!, app.clientId);
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      iss: `${server.config.baseUrl}/oidc`,
      aud: app.clientId,
      sub: user.id,
      nonce: 'n-0S6',
      // With no access token to fetch them with, the claims of the granted scopes are in the ID token.
      given_name: 'Sean',
      family_name: 'Moen',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('code id_token: a code and an ID token carrying its c_hash; the code exchanges', async () => {
    const { params } = await respond('code id_token', { scope: 'openid military', nonce: 'n-1' });
    expect(Object.keys(params).sort()).toEqual(['code', 'id_token', 'state']);
    const { payload } = await verifyServerJwt(server, params.id_token!, app.clientId);
    expect(payload).toMatchObject({ sub: user.id, nonce: 'n-1', c_hash: halfHash(params.code!) });
    const token = await exchangeCode(server, app, params.code!);
    expect(token.status).toBe(200);
    expect(token.body.token_type).toBe('Bearer');
    // Scope is an unordered set (RFC 6749 §3.3); the grant lists scopes in the order they were consented to.
    expect(String(token.body.scope).split(' ').sort()).toEqual(['military', 'openid']);
    const idToken = await verifyServerJwt(server, String(token.body.id_token), app.clientId);
    expect(idToken.payload).toMatchObject({ sub: user.id, nonce: 'n-1' });
  });

  it('code token: a code and an access token, as plain OAuth 2.0 (no openid needed)', async () => {
    const { params } = await respond('code token');
    expect(Object.keys(params).sort()).toEqual([
      'access_token',
      'code',
      'expires_in',
      'iss',
      'scope',
      'state',
      'token_type',
    ]);
    expect((await attributes(server, params.access_token)).status).toBe(200);
    const token = await exchangeCode(server, app, params.code!);
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('military');
  });

  it('id_token token: an ID token carrying the access token’s at_hash', async () => {
    const { params } = await respond('id_token token', { scope: 'openid military', nonce: 'n-2' });
    expect(params.code).toBeUndefined();
    const { payload } = await verifyServerJwt(server, params.id_token!, app.clientId);
    expect(payload).toMatchObject({ sub: user.id, nonce: 'n-2', at_hash: halfHash(params.access_token!) });
    expect((await attributes(server, params.access_token)).status).toBe(200);
  });

  it('code id_token token: all three, with c_hash and at_hash', async () => {
    const { params } = await respond('code id_token token', { scope: 'openid military', nonce: 'n-3' });
    const { payload } = await verifyServerJwt(server, params.id_token!, app.clientId);
    expect(payload).toMatchObject({
      nonce: 'n-3',
      c_hash: halfHash(params.code!),
      at_hash: halfHash(params.access_token!),
    });
    expect((await exchangeCode(server, app, params.code!)).status).toBe(200);
    expect((await attributes(server, params.access_token)).status).toBe(200);
  });

  it('accepts the parts of a response type in any order', async () => {
    const { params } = await respond('token code');
    expect(params.code).toEqual(expect.any(String));
    expect(params.access_token).toEqual(expect.any(String));
  });
});
