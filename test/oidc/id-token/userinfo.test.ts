import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  call,
  codeFlow,
  registerApp,
  registerUser,
  startOidcServer,
  verifyServerJwt,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

describe('userinfo at /api/public/v3/userinfo', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server);
    user = await registerUser(server, { verify: [['military', 'Veteran']], birthDate: '1980-04-02' });
  });
  afterAll(() => server.stop());

  async function accessToken(scope: string, forApp: TestApp = app): Promise<string> {
    const { token } = await codeFlow(server, forApp, user, { scope });
    expect(token.status).toBe(200);
    return String(token.body.access_token);
  }

  const userinfo = (token: string, method = 'GET') =>
    call(server, '/api/public/v3/userinfo', { method, headers: { Authorization: `Bearer ${token}` } });

  it('answers JSON with the claims of the granted scopes: sub for openid', async () => {
    const response = await userinfo(await accessToken('openid military'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.json).toEqual({ sub: user.id });
  });

  it('adds given_name and family_name with profile, and email with email', async () => {
    const response = await userinfo(await accessToken('openid military profile email'));
    expect(response.json).toMatchObject({
      sub: user.id,
      given_name: 'Sean',
      family_name: 'Moen',
      birthdate: '1980-04-02',
      email: user.email,
      email_verified: true,
    });
    const emailOnly = await userinfo(await accessToken('openid military email'));
    expect(emailOnly.json).toEqual({ sub: user.id, email: user.email, email_verified: true });
  });

  it('accepts POST too (OpenID Connect Core §5.3.1)', async () => {
    const response = await userinfo(await accessToken('openid military'), 'POST');
    expect(response.status).toBe(200);
    expect(response.json?.sub).toBe(user.id);
  });

  it('answers a signed JWT (application/jwt) for an application configured for it', async () => {
    const jwtApp = await registerApp(server, { userinfoSignedResponseAlg: 'RS256' });
    const response = await userinfo(await accessToken('openid military profile', jwtApp));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/jwt/);
    const { payload, protectedHeader } = await verifyServerJwt(server, response.text, jwtApp.clientId);
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      iss: `${server.config.baseUrl}/oidc`,
      aud: jwtApp.clientId,
      sub: user.id,
      given_name: 'Sean',
    });
  });

  it('refuses a token granted without openid → 403 insufficient_scope', async () => {
    const response = await userinfo(await accessToken('military'));
    expect(response.status).toBe(403);
    expect(response.json?.error).toBe('insufficient_scope');
  });

  it('refuses a missing or unknown token with 401 and a WWW-Authenticate challenge', async () => {
    const missing = await call(server, '/api/public/v3/userinfo');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^(Bearer|DPoP) /);
    const unknown = await userinfo('x'.repeat(43));
    expect(unknown.status).toBe(401);
    expect(unknown.json?.error).toBe('invalid_token');
    expect(unknown.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});
