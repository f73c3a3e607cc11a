import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  codeFlow,
  registerApp,
  registerUser,
  startOidcServer,
  tokenRequest,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

describe('refresh tokens (rotation, grace, scope kept)', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['military', 'student'] });
    user = await registerUser(server, { verify: [['military', 'Veteran']] });
  });
  afterAll(() => server.stop());

  const refresh = (refreshToken: string, client: TestApp = app, extra: Record<string, string> = {}) =>
    tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: client.clientId,
      client_secret: client.clientSecret,
      ...extra,
    });

  async function initialTokens(scope = 'military') {
    const { token } = await codeFlow(server, app, user, { scope });
    expect(token.status).toBe(200);
    return { accessToken: String(token.body.access_token), refreshToken: String(token.body.refresh_token) };
  }

  it('issues a new access token and a rotated refresh token, with refresh_expires_in (client_secret_post)', async () => {
    const { accessToken, refreshToken } = await initialTokens();
    const refreshed = await refresh(refreshToken);
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('cache-control')).toBe('no-store');
    expect(refreshed.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]{40,}$/),
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: expect.stringMatching(/^[\w-]{40,}$/),
      refresh_expires_in: expect.any(Number),
      scope: 'military',
    });
    expect(refreshed.body.refresh_expires_in).toBeGreaterThan(604_800 - 10);
    expect(refreshed.body.refresh_expires_in).toBeLessThanOrEqual(604_800);
    expect(refreshed.body.refresh_token).not.toBe(refreshToken);
    expect(refreshed.body.access_token).not.toBe(accessToken);
    const v3 = await attributes(server, String(refreshed.body.access_token));
    expect(v3.status).toBe(200);
    expect(v3.json?.status).toEqual([{ group: 'military', subgroups: ['Veteran'], verified: true }]);
  });

  it('accepts client_secret_basic too, and keeps refreshing along the chain', async () => {
    let { refreshToken } = await initialTokens();
    for (let round = 0; round < 3; round++) {
      const refreshed = await tokenRequest(
        server,
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        app,
      );
      expect(refreshed.status).toBe(200);
      refreshToken = String(refreshed.body.refresh_token);
    }
  });

  it('keeps exactly the originally granted scope, in its order', async () => {
    const { refreshToken } = await initialTokens('military student');
    const first = await refresh(refreshToken);
    expect(first.body.scope).toBe('military student');
    const second = await refresh(String(first.body.refresh_token));
    expect(second.body.scope).toBe('military student');
  });

  it('does not grow with a later, wider consent of the same user to the same application', async () => {
    const narrow = await initialTokens('military');
    await initialTokens('military student');
    const refreshed = await refresh(narrow.refreshToken);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.scope).toBe('military');
    const v3 = await attributes(server, String(refreshed.body.access_token));
    expect((v3.json?.status as { group: string }[]).map((entry) => entry.group)).toEqual(['military']);
  });

  it('refuses to widen the scope on refresh → invalid_scope', async () => {
    const { refreshToken } = await initialTokens('military');
    const widened = await refresh(refreshToken, app, { scope: 'military student' });
    expect(widened.status).toBe(400);
    expect(widened.body.error).toBe('invalid_scope');
  });

  it('lets the previous refresh token be reused at once (a retry), also concurrently', async () => {
    const { refreshToken } = await initialTokens();
    const first = await refresh(refreshToken);
    expect(first.status).toBe(200);
    const retry = await refresh(refreshToken);
    expect(retry.status).toBe(200);
    expect(retry.body.scope).toBe('military');
    const { refreshToken: other } = await initialTokens();
    const concurrent = await Promise.all([refresh(other), refresh(other), refresh(other)]);
    expect(concurrent.map((response) => response.status)).toEqual([200, 200, 200]);
    for (const response of concurrent) {
      expect((await attributes(server, String(response.body.access_token))).status).toBe(200);
    }
  });

  it('refuses a refresh token presented by another client → invalid_grant', async () => {
    const { refreshToken } = await initialTokens();
    const other = await registerApp(server, { scopes: ['military'] });
    const stolen = await refresh(refreshToken, other);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');
    expect((await refresh(refreshToken)).status).toBe(200);
  });

  it('requires client authentication and a real token', async () => {
    const { refreshToken } = await initialTokens();
    const anonymous = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: app.clientId,
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe('invalid_client');
    const unknown = await refresh('x'.repeat(43));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('invalid_grant');
    const missing = await tokenRequest(server, {
      grant_type: 'refresh_token',
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expect(missing.body.error).toBe('invalid_request');
  });

  it('uses the application’s own lifetimes when it has them', async () => {
    const short = await registerApp(server, { accessTokenTtl: 60, refreshTokenTtl: 3600 });
    const { token } = await codeFlow(server, short, user);
    expect(token.body.expires_in).toBe(60);
    expect(token.body.refresh_expires_in).toBe(3600);
    const refreshed = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: String(token.body.refresh_token),
      client_id: short.clientId,
      client_secret: short.clientSecret,
    });
    expect(refreshed.body.expires_in).toBe(60);
    expect(refreshed.body.refresh_expires_in).toBeLessThanOrEqual(3600);
    expect(refreshed.body.refresh_expires_in).toBeGreaterThan(3590);
  });
});
