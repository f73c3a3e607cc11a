import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  authorize,
  Browser,
  registerApp,
  registerUser,
  startOidcServer,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

/**
 * openid-client (v6) as a real relying party: it discovers Vetted, builds the authorization request, checks
 * the authorization response (state, iss), validates the ID token (JWKS signature, iss, aud, nonce, expiry)
 * and calls userinfo, the attributes API and the refresh grant, exactly as a partner's server would.
 */

type ClientAuthName = 'client_secret_basic' | 'client_secret_post';

function clientAuth(app: TestApp, method: ClientAuthName): client.ClientAuth {
  return method === 'client_secret_basic'
    ? client.ClientSecretBasic(app.clientSecret)
    : client.ClientSecretPost(app.clientSecret);
}

/**
 * Discovery with the http issuer allowed (loopback), and ID tokens from the token endpoint checked against the
 * JWKS too (openid-client otherwise relies on TLS for those and checks only the claims).
 */
function discover(server: TestServer, app: TestApp, method: ClientAuthName = 'client_secret_basic') {
  return client.discovery(
    new URL(`${server.config.baseUrl}/oidc`),
    app.clientId,
    { redirect_uris: [app.redirectUri], response_types: ['code'] },
    clientAuth(app, method),
    {
      execute: [
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- marked only as a warning sign; http on loopback
        client.allowInsecureRequests,
        client.enableNonRepudiationChecks,
      ],
    },
  );
}

/** A fetch that breaks the signature of every ID token the token endpoint returns. */
const tamperingFetch: client.CustomFetch = async (url, options) => {
  const response = await fetch(url, options);
  if (!url.endsWith('/oauth/token')) return response;
  const body = (await response.json()) as Record<string, unknown>;
  if (typeof body.id_token === 'string') {
    const [header, payload, signature = ''] = body.id_token.split('.');
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    body.id_token = `${header}.${payload}.${flipped}`;
  }
  return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
};

/** Walks Vetted's sign-in and consent pages for `url` and returns where the browser was sent back to. */
async function callbackFor(server: TestServer, url: URL, user: TestUser): Promise<URL> {
  const journey = await authorize(new Browser(), server, url, { user });
  expect(journey.shown).toEqual(['sign-in', 'consent']);
  if (journey.callback === undefined) throw new Error(`no callback; Vetted answered ${journey.status}`);
  return journey.callback;
}

async function attributes(config: client.Configuration, accessToken: string, version = 'v3') {
  const url = new URL(`/api/public/${version}/attributes.json`, config.serverMetadata().issuer);
  const response = await client.fetchProtectedResource(config, accessToken, url, 'GET');
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('openid-client as the relying party', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { name: 'OIDC Partner' });
    user = await registerUser(server, { verify: [['military', 'Service Member']] });
  });
  afterAll(() => server.stop());

  it('discovers the issuer at <base>/oidc', async () => {
    const config = await discover(server, app);
    const metadata = config.serverMetadata();
    const base = server.config.baseUrl;
    expect(metadata.issuer).toBe(`${base}/oidc`);
    expect(metadata.authorization_endpoint).toBe(`${base}/oauth/authorize`);
    expect(metadata.token_endpoint).toBe(`${base}/oauth/token`);
    expect(metadata.userinfo_endpoint).toBe(`${base}/api/public/v3/userinfo`);
    expect(metadata.jwks_uri).toBe(`${base}/oidc/.well-known/jwks`);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
    );
  });

  it('runs code + PKCE + nonce, validates the ID token, and reads userinfo, attributes and a refresh', async () => {
    const config = await discover(server, app);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: app.redirectUri,
      scope: 'openid profile email military',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    expect(url.origin + url.pathname).toBe(`${server.config.baseUrl}/oauth/authorize`);

    const callback = await callbackFor(server, url, user);
    expect(callback.origin + callback.pathname).toBe(app.redirectUri);

    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.expires_in).toBe(300);
    expect(tokens.scope).toBe('openid profile email military');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const claims = tokens.claims();
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri ?? ''));
    const verified = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer: `${server.config.baseUrl}/oidc`,
      audience: app.clientId,
    });
    expect(verified.protectedHeader.alg).toBe('RS256');
    expect(verified.payload).toEqual(claims);
    expect(claims).toMatchObject({
      iss: `${server.config.baseUrl}/oidc`,
      aud: app.clientId,
      sub: user.id,
      nonce,
    });

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, user.id);
    expect(userinfo).toMatchObject({
      sub: user.id,
      given_name: 'Sean',
      family_name: 'Moen',
      email: user.email,
    });

    const v3 = await attributes(config, tokens.access_token);
    expect(v3.status).toBe(200);
    expect(v3.body.status).toEqual([{ group: 'military', subgroups: ['Service Member'], verified: true }]);
    expect(v3.body.attributes).toEqual(
      expect.arrayContaining([
        { handle: 'uuid', name: 'Unique Identifier', value: user.id },
        { handle: 'fname', name: 'First Name', value: 'Sean' },
        { handle: 'email', name: 'Email', value: user.email },
      ]),
    );

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token ?? '');
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.scope).toBe('openid profile email military');
    expect(refreshed.claims()).toMatchObject({ sub: user.id, aud: app.clientId });
    const again = await attributes(config, refreshed.access_token);
    expect(again).toEqual(v3);
    expect((await client.fetchUserInfo(config, refreshed.access_token, user.id)).sub).toBe(user.id);
  });

  it('rejects a callback whose state does not match (the client-side check works against Vetted)', async () => {
    const config = await discover(server, app);
    const codeVerifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: app.redirectUri,
      scope: 'military',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: 'the-real-state',
    });
    const callback = await callbackFor(
      server,
      url,
      await registerUser(server, { verify: [['military', 'Veteran']] }),
    );
    expect(callback.searchParams.get('state')).toBe('the-real-state');
    const error = await client
      .authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: codeVerifier,
        expectedState: 'another-state',
      })
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(error).toBeInstanceOf(client.ClientError);
    expect((error as Error).cause).toMatchObject({ message: expect.stringMatching(/"state"/) });
  });

  it('refuses an ID token whose signature does not verify against the JWKS', async () => {
    const config = await discover(server, app);
    config[client.customFetch] = tamperingFetch;
    const codeVerifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: app.redirectUri,
      scope: 'openid military',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      nonce,
    });
    const callback = await callbackFor(
      server,
      url,
      await registerUser(server, { verify: [['military', 'Veteran']] }),
    );
    const error = await client
      .authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier, expectedNonce: nonce })
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(error).toBeInstanceOf(client.ClientError);
    expect((error as Error).cause).toMatchObject({ message: 'JWT signature verification failed' });
  });

  for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`runs plain OAuth 2.0 (scope=military, no openid) with ${method}`, async () => {
      const config = await discover(server, app, method);
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: app.redirectUri,
        scope: 'military',
        state,
      });
      const other = await registerUser(server, { verify: [['military', 'Veteran']] });
      const callback = await callbackFor(server, url, other);

      const tokens = await client.authorizationCodeGrant(config, callback, {
        expectedState: state,
        idTokenExpected: false,
      });
      expect(tokens.id_token).toBeUndefined();
      expect(tokens.scope).toBe('military');
      expect(tokens.expires_in).toBe(300);

      const v2 = await attributes(config, tokens.access_token, 'v2');
      expect(v2.status).toBe(200);
      expect(v2.body).toMatchObject({
        id: other.id,
        verified: true,
        affiliation: 'Veteran',
        group: 'military',
      });

      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token ?? '');
      expect(refreshed.scope).toBe('military');
      expect((await attributes(config, refreshed.access_token, 'v2')).body).toEqual(v2.body);
    });
  }
});
