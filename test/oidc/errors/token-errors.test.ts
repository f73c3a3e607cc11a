import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  authorizeApp,
  basicAuth,
  Browser,
  call,
  exchangeCode,
  registerApp,
  registerUser,
  responseParams,
  startOidcServer,
  tokenRequest,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

describe('token endpoint errors (RFC 6749 §5.2)', () => {
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

  /** A fresh authorization code for `app` (the browser keeps its session and consent after the first). */
  async function newCode(forApp: TestApp = app): Promise<string> {
    const journey = await authorizeApp(server, forApp, user, {}, { browser });
    return responseParams(journey.callback).code ?? '';
  }

  function expectError(
    response: { status: number; body: Record<string, unknown>; headers: Headers },
    status: number,
    error: string,
  ) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({ error, error_description: expect.any(String) });
  }

  it('a wrong client secret → 401 invalid_client, with client_secret_post and with Basic', async () => {
    const code = await newCode();
    expectError(await exchangeCode(server, { ...app, clientSecret: 'wrong' }, code), 401, 'invalid_client');
    const basic = await tokenRequest(
      server,
      { grant_type: 'authorization_code', code, redirect_uri: app.redirectUri },
      { clientId: app.clientId, clientSecret: 'wrong' },
    );
    expectError(basic, 401, 'invalid_client');
    // The code survives failed client authentication: the real client can still use it.
    expect((await exchangeCode(server, app, code)).status).toBe(200);
  });

  it('an unknown client → 401 invalid_client', async () => {
    expectError(
      await exchangeCode(server, { ...app, clientId: 'no-such-client' }, await newCode()),
      401,
      'invalid_client',
    );
  });

  it('no client authentication at all for a confidential app → 401 invalid_client', async () => {
    const response = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code: await newCode(),
      redirect_uri: app.redirectUri,
      client_id: app.clientId,
    });
    expectError(response, 401, 'invalid_client');
  });

  it('two client authentication methods at once → invalid_request', async () => {
    const response = await tokenRequest(
      server,
      {
        grant_type: 'authorization_code',
        code: await newCode(),
        redirect_uri: app.redirectUri,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      },
      app,
    );
    expectError(response, 400, 'invalid_request');
  });

  it('a code that does not exist → invalid_grant', async () => {
    expectError(await exchangeCode(server, app, 'not-a-real-code-at-all-000000000000'), 400, 'invalid_grant');
  });

  it('an expired code → invalid_grant (lifetime 300 s by default, 1 s for this application)', async () => {
    const stored = await server.services.oidcModels.find('AuthorizationCode', 'id', await newCode());
    const lifetime = (stored?.expiresAt ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(295_000);
    expect(lifetime).toBeLessThanOrEqual(300_000);
    const quick = await registerApp(server, { codeTtl: 1 });
    const code = await newCode(quick);
    await sleep(1100);
    expectError(await exchangeCode(server, quick, code), 400, 'invalid_grant');
  });

  it('a redirect_uri other than the authorization’s → invalid_grant', async () => {
    const other = await registerApp(server, {
      redirectUris: ['https://partner.example/callback', 'https://partner.example/other'],
    });
    const code = await newCode(other);
    const response = await exchangeCode(server, other, code, {
      redirect_uri: 'https://partner.example/other',
    });
    expectError(response, 400, 'invalid_grant');
  });

  it('a code issued to another client → invalid_grant', async () => {
    const other = await registerApp(server);
    expectError(await exchangeCode(server, other, await newCode()), 400, 'invalid_grant');
  });

  it('a missing grant_type → invalid_request', async () => {
    const response = await tokenRequest(server, {
      code: await newCode(),
      redirect_uri: app.redirectUri,
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expectError(response, 400, 'invalid_request');
    expect(response.body.error_description).toContain('grant_type');
  });

  it('a grant type Vetted does not offer → unsupported_grant_type', async () => {
    for (const grantType of [
      'password',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:device_code',
    ]) {
      const response = await tokenRequest(server, {
        grant_type: grantType,
        username: user.email,
        password: user.password,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      });
      expectError(response, 400, 'unsupported_grant_type');
    }
  });

  it('a missing code → invalid_request', async () => {
    const response = await tokenRequest(server, {
      grant_type: 'authorization_code',
      redirect_uri: app.redirectUri,
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expectError(response, 400, 'invalid_request');
  });

  it('GET is not a token request', async () => {
    const response = await call(server, '/oauth/token?grant_type=authorization_code', {
      headers: { Authorization: basicAuth(app.clientId, app.clientSecret) },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
