import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  authorize,
  authorizeDirect,
  authorizeUrl,
  basicAuth,
  Browser,
  call,
  exchangeCode,
  pkcePair,
  registerApp,
  registerUser,
  responseParams,
  startOidcServer,
  tokenRequest,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

describe('pushed authorization requests (RFC 9126) at /oauth/par', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;
  const browser = new Browser();

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server);
    user = await registerUser(server, { verify: [['military', 'Veteran']] });
  });
  afterAll(() => server.stop());

  const push = (form: Record<string, string>, client: TestApp | 'none' = app) =>
    call(server, '/oauth/par', {
      form: {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: 'code',
        scope: 'military',
        state: 'par-state',
        ...form,
      },
      headers: client === 'none' ? {} : { Authorization: basicAuth(client.clientId, client.clientSecret) },
    });

  const authorizeWith = (requestUri: string, clientId = app.clientId) =>
    authorize(browser, server, authorizeUrl(server, { client_id: clientId, request_uri: requestUri }), {
      user,
    });

  it('answers 201 with a one-minute request_uri, which the authorization then uses', async () => {
    const pushed = await push({ eid: 'PAR-eid-1' });
    expect(pushed.status).toBe(201);
    expect(pushed.headers.get('cache-control')).toBe('no-store');
    expect(pushed.json).toEqual({
      request_uri: expect.stringMatching(/^urn:ietf:params:oauth:request_uri:[\w-]+$/),
      expires_in: 60,
    });
    const journey = await authorizeWith(String(pushed.json?.request_uri));
    const params = responseParams(journey.callback);
    expect(params).toMatchObject({ code: expect.any(String), state: 'par-state' });
    const token = await exchangeCode(server, app, params.code!);
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('military');
    const v3 = await attributes(server, String(token.body.access_token));
    expect(v3.json?.attributes).toContainEqual({
      handle: 'eid',
      name: 'External Identifier',
      value: 'PAR-eid-1',
    });
  });

  it('uses a request_uri once only', async () => {
    const requestUri = String((await push({})).json?.request_uri);
    expect(responseParams((await authorizeWith(requestUri)).callback).code).toEqual(expect.any(String));
    const again = await authorizeDirect(server, { client_id: app.clientId, request_uri: requestUri });
    expect(again.status).toBeLessThan(500);
    expect(again.params.code).toBeUndefined();
    const error = again.params.error ?? /<code>([a-z_]+)<\/code>/.exec(again.text)?.[1];
    expect(error).toBe('invalid_request_uri');
  });

  it('refuses another client’s request_uri', async () => {
    const other = await registerApp(server, { redirectUris: ['https://other.example/callback'] });
    const requestUri = String((await push({})).json?.request_uri);
    const response = await authorizeDirect(server, { client_id: other.clientId, request_uri: requestUri });
    // The error goes to the requesting client's own registered URI, never to the one in the pushed request.
    expect(`${response.location?.origin ?? ''}${response.location?.pathname ?? ''}`).toBe(
      'https://other.example/callback',
    );
    expect(response.params).toMatchObject({ error: 'invalid_request_object', state: 'par-state' });
    expect(response.params.code).toBeUndefined();
  });

  it('requires client authentication', async () => {
    const anonymous = await push({}, 'none');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json?.error).toBe('invalid_client');
    const wrong = await push({}, { ...app, clientSecret: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.json?.error).toBe('invalid_client');
  });

  it('applies the same checks as the authorization endpoint, answered as JSON', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ scope: 'wizard' }, 'invalid_scope'],
      [{ scope: 'military wizard' }, 'invalid_scope'],
      [{ scope: 'teacher' }, 'invalid_scope'],
      [{ op: 'nope' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ response_type: 'code token' }, 'unauthorized_client'],
      [{ redirect_uri: 'https://attacker.example/' }, 'invalid_request'],
      [{ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }, 'invalid_request'],
    ];
    for (const [form, error] of cases) {
      const response = await push(form);
      expect(response.status, JSON.stringify(form)).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.json?.error, JSON.stringify(form)).toBe(error);
    }
  });

  it('works for a public application with PKCE', async () => {
    const mobile = await registerApp(server, { clientType: 'public', redirectUris: ['com.partner.app:/cb'] });
    const { verifier, challenge } = pkcePair();
    const pushed = await call(server, '/oauth/par', {
      form: {
        client_id: mobile.clientId,
        redirect_uri: mobile.redirectUri,
        response_type: 'code',
        scope: 'military',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
    });
    expect(pushed.status).toBe(201);
    const journey = await authorizeWith(String(pushed.json?.request_uri), mobile.clientId);
    const token = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code: responseParams(journey.callback).code ?? '',
      redirect_uri: mobile.redirectUri,
      client_id: mobile.clientId,
      code_verifier: verifier,
    });
    expect(token.status).toBe(200);
  });
});
