import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  authorize,
  authorizeDirect,
  authorizeUrl,
  Browser,
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

describe('PKCE (RFC 7636, S256 only)', () => {
  let server: TestServer;
  let publicApp: TestApp;
  let confidentialApp: TestApp;
  let user: TestUser;
  const browser = new Browser();

  beforeAll(async () => {
    server = await startOidcServer();
    publicApp = await registerApp(server, {
      name: 'Partner Mobile',
      clientType: 'public',
      redirectUris: ['com.partner.app:/callback', 'http://127.0.0.1/callback'],
    });
    confidentialApp = await registerApp(server);
    user = await registerUser(server, { verify: [['military', 'Service Member']] });
  });
  afterAll(() => server.stop());

  async function codeWithChallenge(app: TestApp, challenge: string, redirectUri = app.redirectUri) {
    const journey = await authorize(
      browser,
      server,
      authorizeUrl(server, {
        client_id: app.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'military',
        state: 'pk',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
      { user },
    );
    return responseParams(journey.callback).code ?? '';
  }

  it('a public application has no client secret', () => {
    expect(publicApp.clientSecret).toBe('');
  });

  it('a public application must send a code_challenge → invalid_request on its redirect URI', async () => {
    const response = await authorizeDirect(server, {
      client_id: publicApp.clientId,
      redirect_uri: publicApp.redirectUri,
      response_type: 'code',
      scope: 'military',
      state: 'st',
    });
    expect(response.status).toBe(303);
    expect(response.location?.protocol).toBe('com.partner.app:');
    expect(response.params).toMatchObject({ error: 'invalid_request', state: 'st' });
    expect(response.params.error_description).toContain('PKCE');
  });

  it('rejects code_challenge_method=plain, for public and confidential applications alike', async () => {
    for (const app of [publicApp, confidentialApp]) {
      const response = await authorizeDirect(server, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: 'code',
        scope: 'military',
        state: 'st',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'plain',
      });
      expect(response.params).toMatchObject({ error: 'invalid_request', state: 'st' });
      expect(response.params.error_description).toContain('code_challenge_method');
    }
  });

  it('rejects a code_challenge that is not a SHA-256 digest in base64url', async () => {
    const response = await authorizeDirect(server, {
      client_id: publicApp.clientId,
      redirect_uri: publicApp.redirectUri,
      response_type: 'code',
      scope: 'military',
      code_challenge: 'short',
      code_challenge_method: 'S256',
    });
    expect(response.params.error).toBe('invalid_request');
  });

  it('works end to end with S256 and a code_verifier, without a secret (loopback redirect too)', async () => {
    for (const redirectUri of ['com.partner.app:/callback', 'http://127.0.0.1/callback']) {
      const { verifier, challenge } = pkcePair();
      const code = await codeWithChallenge(publicApp, challenge, redirectUri);
      expect(code).not.toBe('');
      const token = await tokenRequest(server, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: publicApp.clientId,
        code_verifier: verifier,
      });
      expect(token.status).toBe(200);
      expect(token.body).toMatchObject({ token_type: 'Bearer', scope: 'military', expires_in: 300 });
      const v3 = await attributes(server, String(token.body.access_token));
      expect(v3.status).toBe(200);
      expect(v3.json?.status).toEqual([{ group: 'military', subgroups: ['Service Member'], verified: true }]);
    }
  });

  it('accepts any port on a registered loopback redirect URI (RFC 8252 §7.3), and no other host', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeWithChallenge(publicApp, challenge, 'http://127.0.0.1:51234/callback');
    expect(code).not.toBe('');
    const token = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:51234/callback',
      client_id: publicApp.clientId,
      code_verifier: verifier,
    });
    expect(token.status).toBe(200);
    const other = await authorizeDirect(server, {
      client_id: publicApp.clientId,
      redirect_uri: 'http://127.0.0.2:51234/callback',
      response_type: 'code',
      scope: 'military',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(other.status).toBe(400);
    expect(other.location).toBeUndefined();
  });

  it('a wrong code_verifier → invalid_grant', async () => {
    const { challenge } = pkcePair();
    const code = await codeWithChallenge(publicApp, challenge);
    const exchange = (codeVerifier: string) =>
      tokenRequest(server, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: publicApp.redirectUri,
        client_id: publicApp.clientId,
        code_verifier: codeVerifier,
      });
    const wrong = await exchange(pkcePair().verifier);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    expect((await exchange('')).body.error).toMatch(/^invalid_(grant|request)$/);
  });

  it('a missing code_verifier when a challenge was sent → invalid_grant', async () => {
    const { challenge } = pkcePair();
    const code = await codeWithChallenge(publicApp, challenge);
    const token = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: publicApp.redirectUri,
      client_id: publicApp.clientId,
    });
    expect(token.status).toBe(400);
    expect(token.body.error).toBe('invalid_grant');
  });

  it('a public application cannot authenticate with a made-up secret', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeWithChallenge(publicApp, challenge);
    const token = await tokenRequest(
      server,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: publicApp.redirectUri,
        code_verifier: verifier,
      },
      { clientId: publicApp.clientId, clientSecret: 'made-up' },
    );
    expect(token.status).toBe(401);
    expect(token.body.error).toBe('invalid_client');
  });

  it('a confidential application may use PKCE too, with its secret', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeWithChallenge(confidentialApp, challenge);
    const wrong = await exchangeCode(server, confidentialApp, code, { code_verifier: pkcePair().verifier });
    expect(wrong.body.error).toBe('invalid_grant');
    const again = await codeWithChallenge(confidentialApp, challenge);
    const token = await exchangeCode(server, confidentialApp, again, { code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('military');
  });

  it('a confidential application without PKCE still works (PKCE is optional for it)', async () => {
    const journey = await authorize(
      browser,
      server,
      authorizeUrl(server, {
        client_id: confidentialApp.clientId,
        redirect_uri: confidentialApp.redirectUri,
        response_type: 'code',
        scope: 'military',
      }),
      { user },
    );
    const token = await exchangeCode(server, confidentialApp, responseParams(journey.callback).code ?? '');
    expect(token.status).toBe(200);
  });
});
