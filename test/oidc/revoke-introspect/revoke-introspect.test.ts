import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  basicAuth,
  call,
  codeFlow,
  registerApp,
  registerUser,
  startOidcServer,
  tokenRequest,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

describe('revocation (RFC 7009) and introspection (RFC 7662)', () => {
  let server: TestServer;
  let app: TestApp;
  let other: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server);
    other = await registerApp(server);
    user = await registerUser(server, { verify: [['military', 'Veteran']] });
  });
  afterAll(() => server.stop());

  async function tokens() {
    const { token } = await codeFlow(server, app, user);
    return { accessToken: String(token.body.access_token), refreshToken: String(token.body.refresh_token) };
  }

  /** With HTTP Basic authentication of `client`, or none at all ('none'). */
  const post = (path: string, form: Record<string, string>, client: TestApp | 'none') =>
    call(server, path, {
      form,
      headers: client === 'none' ? {} : { Authorization: basicAuth(client.clientId, client.clientSecret) },
    });
  const revoke = (form: Record<string, string>, client: TestApp | 'none' = app) =>
    post('/oauth/revoke', form, client);
  const introspect = (form: Record<string, string>, client: TestApp | 'none' = app) =>
    post('/oauth/introspect', form, client);
  const refresh = (refreshToken: string) =>
    tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });

  describe('revocation', () => {
    it('revokes an access token: 200, then invalid_token at the attributes API', async () => {
      const { accessToken } = await tokens();
      expect((await attributes(server, accessToken)).status).toBe(200);
      const response = await revoke({ token: accessToken, token_type_hint: 'access_token' });
      expect(response.status).toBe(200);
      expect(response.text).toBe('');
      const after = await attributes(server, accessToken);
      expect(after.status).toBe(401);
      expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });

    it('revoking an access token revokes the refresh tokens of its grant too (RFC 7009 §2.1 allows it)', async () => {
      const { accessToken, refreshToken } = await tokens();
      expect((await revoke({ token: accessToken })).status).toBe(200);
      expect((await refresh(refreshToken)).body.error).toBe('invalid_grant');
    });

    it('revokes a refresh token, and with it the grant’s access tokens (RFC 7009 §2.1)', async () => {
      const { accessToken, refreshToken } = await tokens();
      expect((await revoke({ token: refreshToken, token_type_hint: 'refresh_token' })).status).toBe(200);
      const refused = await refresh(refreshToken);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_grant');
      expect((await attributes(server, accessToken)).status).toBe(401);
    });

    it('finds the token whatever the hint says, and with client_secret_post', async () => {
      const { accessToken } = await tokens();
      const response = await revoke(
        {
          token: accessToken,
          token_type_hint: 'refresh_token',
          client_id: app.clientId,
          client_secret: app.clientSecret,
        },
        'none',
      );
      expect(response.status).toBe(200);
      expect((await attributes(server, accessToken)).status).toBe(401);
    });

    it('answers 200 for a token it does not know', async () => {
      expect((await revoke({ token: 'no-such-token-0000000000000000000000' })).status).toBe(200);
    });

    it('requires client authentication (none at all → invalid_request; failed → 401 invalid_client)', async () => {
      const { accessToken } = await tokens();
      const anonymous = await revoke({ token: accessToken }, 'none');
      expect(anonymous.status).toBe(400);
      expect(anonymous.json?.error).toBe('invalid_request');
      const idOnly = await revoke({ token: accessToken, client_id: app.clientId }, 'none');
      expect(idOnly.status).toBe(401);
      expect(idOnly.json?.error).toBe('invalid_client');
      const wrong = await revoke({ token: accessToken }, { ...app, clientSecret: 'wrong' });
      expect(wrong.status).toBe(401);
      expect((await attributes(server, accessToken)).status).toBe(200);
    });

    it('does not let another client revoke the token → invalid_request', async () => {
      const { accessToken } = await tokens();
      const response = await revoke({ token: accessToken }, other);
      expect(response.status).toBe(400);
      expect(response.json?.error).toBe('invalid_request');
      expect((await attributes(server, accessToken)).status).toBe(200);
    });

    it('requires the token parameter → invalid_request', async () => {
      const response = await revoke({});
      expect(response.status).toBe(400);
      expect(response.json?.error).toBe('invalid_request');
    });
  });

  describe('introspection', () => {
    it('describes an active access token to the client it was issued to', async () => {
      const { accessToken } = await tokens();
      const response = await introspect({ token: accessToken });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.json).toMatchObject({
        active: true,
        client_id: app.clientId,
        scope: 'military',
        sub: user.id,
        token_type: 'Bearer',
        iss: `${server.config.baseUrl}/oidc`,
        exp: expect.any(Number),
        iat: expect.any(Number),
      });
    });

    it('describes a refresh token too', async () => {
      const { refreshToken } = await tokens();
      const response = await introspect({ token: refreshToken, token_type_hint: 'refresh_token' });
      expect(response.json).toMatchObject({ active: true, client_id: app.clientId, scope: 'military' });
    });

    it('answers active: false for unknown, revoked and other clients’ tokens, and nothing else', async () => {
      expect((await introspect({ token: 'no-such-token-00000000000000000000000' })).json).toEqual({
        active: false,
      });
      const { accessToken } = await tokens();
      expect((await introspect({ token: accessToken }, other)).json).toEqual({ active: false });
      await revoke({ token: accessToken });
      expect((await introspect({ token: accessToken })).json).toEqual({ active: false });
    });

    it('requires client authentication (none at all → invalid_request; failed → 401 invalid_client)', async () => {
      const { accessToken } = await tokens();
      const anonymous = await introspect({ token: accessToken }, 'none');
      expect(anonymous.status).toBe(400);
      expect(anonymous.json?.error).toBe('invalid_request');
      expect(anonymous.json?.active).toBeUndefined();
      const idOnly = await introspect({ token: accessToken, client_id: app.clientId }, 'none');
      expect(idOnly.status).toBe(401);
      expect(idOnly.json?.error).toBe('invalid_client');
      const wrong = await introspect({ token: accessToken }, { ...app, clientSecret: 'wrong' });
      expect(wrong.status).toBe(401);
    });
  });
});
