import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  authorizeApp,
  codeFlow,
  exchangeCode,
  registerApp,
  registerUser,
  responseParams,
  startOidcServer,
  tokenRequest,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

describe('authorization code flow (ID.me dialect)', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server);
    user = await registerUser(server, { verify: [['military', 'Service Member']] });
  });
  afterAll(() => server.stop());

  it('signs in, asks consent, and returns a code with the state untouched, as plain OAuth 2.0 (scope=military)', async () => {
    const journey = await authorizeApp(server, app, user, { state: 'a b/c?d=e&f' });
    expect(journey.shown).toEqual(['sign-in', 'consent']);
    expect(`${journey.callback?.origin ?? ''}${journey.callback?.pathname ?? ''}`).toBe(app.redirectUri);
    const params = responseParams(journey.callback);
    expect(params.state).toBe('a b/c?d=e&f');
    expect(params.code).toMatch(/^[\w-]{20,}$/);
    expect(params.iss).toBe(`${server.config.baseUrl}/oidc`);
  });

  it('exchanges the code (client_secret_post) for the token response SPEC §2 shows', async () => {
    const { token } = await codeFlow(server, app, user);
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    expect(token.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]{40,}$/),
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: expect.stringMatching(/^[\w-]{40,}$/),
      refresh_expires_in: 604800,
      scope: 'military',
    });
  });

  it('accepts client_secret_basic too', async () => {
    const journey = await authorizeApp(server, app, user);
    const token = await tokenRequest(
      server,
      {
        grant_type: 'authorization_code',
        code: responseParams(journey.callback).code ?? '',
        redirect_uri: app.redirectUri,
      },
      app,
    );
    expect(token.status).toBe(200);
    expect(token.body.access_token).toEqual(expect.any(String));
  });

  it('returns the attributes and status of SPEC §4, with the eid of the authorization', async () => {
    const { token } = await codeFlow(server, app, user, { eid: 'FOO-bar-123' });
    const v3 = await attributes(server, String(token.body.access_token));
    expect(v3.status).toBe(200);
    expect(v3.json).toEqual({
      attributes: [
        { handle: 'fname', name: 'First Name', value: 'Sean' },
        { handle: 'lname', name: 'Last Name', value: 'Moen' },
        { handle: 'email', name: 'Email', value: user.email },
        { handle: 'uuid', name: 'Unique Identifier', value: user.id },
        { handle: 'zip', name: 'Zip Code', value: '44058-1478' },
        { handle: 'eid', name: 'External Identifier', value: 'FOO-bar-123' },
      ],
      status: [{ group: 'military', subgroups: ['Service Member'], verified: true }],
    });
    expect(user.id).toMatch(/^[0-9a-f]{32}$/);
    const v2 = await attributes(server, String(token.body.access_token), {
      path: '/api/public/v2/attributes.json',
    });
    expect(v2.json).toEqual({
      id: user.id,
      uuid: user.id,
      verified: true,
      affiliation: 'Service Member',
      group: 'military',
      email: user.email,
      fname: 'Sean',
      lname: 'Moen',
      zip: '44058-1478',
    });
  });

  it('rejects a replayed code with invalid_grant and revokes the tokens issued from it', async () => {
    const { code, token } = await codeFlow(server, app, user);
    const accessToken = String(token.body.access_token);
    expect((await attributes(server, accessToken)).status).toBe(200);
    const replay = await exchangeCode(server, app, code);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    const after = await attributes(server, accessToken);
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('remembers consent per user and application across sessions, and asks only for new scopes', async () => {
    const second = await registerUser(server, { verify: [['military', 'Veteran']] });
    const first = await codeFlow(server, app, second);
    expect(first.journey.shown).toEqual(['sign-in', 'consent']);
    const again = await codeFlow(server, app, second);
    expect(again.journey.shown).toEqual(['sign-in']);
    expect(again.token.status).toBe(200);
    const widened = await authorizeApp(server, app, second, { scope: 'military student' });
    // Not verified as a student: the verify step comes first (and is skipped here).
    expect(widened.shown).toEqual(['sign-in', 'verify', 'consent']);
  });

  it('sends a denied consent back as access_denied', async () => {
    const journey = await authorizeApp(
      server,
      app,
      await registerUser(server),
      { state: 's' },
      { decision: 'deny' },
    );
    expect(responseParams(journey.callback)).toMatchObject({ error: 'access_denied', state: 's' });
  });
});
