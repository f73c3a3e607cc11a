import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  call,
  codeFlow,
  registerApp,
  registerUser,
  startOidcServer,
  type ApiResponse,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

const V3 = '/api/public/v3/attributes.json';
const V2 = '/api/public/v2/attributes.json';

describe('attributes API: presenting the access token (RFC 6750)', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;
  let accessToken: string;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server);
    user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const { token } = await codeFlow(server, app, user);
    accessToken = String(token.body.access_token);
  });
  afterAll(() => server.stop());

  /** An RFC 6750 error: status, challenge and a JSON body with the same code. */
  function expectBearerError(response: ApiResponse, status: number, error: string | undefined) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="vetted"/);
    if (error === undefined) {
      expect(challenge).toBe('Bearer realm="vetted"');
    } else {
      expect(challenge).toContain(`error="${error}"`);
      expect(response.json?.error).toBe(error);
    }
    expect(response.json?.error_description).toEqual(expect.any(String));
  }

  it('accepts the token in Authorization: Bearer (v3 and v2)', async () => {
    const v3 = await attributes(server, accessToken);
    expect(v3.status).toBe(200);
    expect(v3.headers.get('content-type')).toMatch(/^application\/json/);
    expect(v3.headers.get('cache-control')).toBe('no-store');
    expect(v3.json?.status).toEqual([{ group: 'military', subgroups: ['Veteran'], verified: true }]);
    const v2 = await attributes(server, accessToken, { path: V2 });
    expect(v2.json).toMatchObject({ id: user.id, verified: true, affiliation: 'Veteran', group: 'military' });
  });

  it('accepts the scheme name in any case (RFC 9110 §11.1)', async () => {
    const response = await attributes(server, undefined, {
      headers: { Authorization: `bearer ${accessToken}` },
    });
    expect(response.status).toBe(200);
  });

  it('accepts the token as the access_token query parameter', async () => {
    const response = await attributes(server, undefined, { query: { access_token: accessToken } });
    expect(response.status).toBe(200);
    expect(response.json?.status).toEqual([{ group: 'military', subgroups: ['Veteran'], verified: true }]);
  });

  it('refuses the token in the header and the query at once → 400 invalid_request', async () => {
    for (const path of [V3, V2]) {
      const response = await attributes(server, accessToken, { path, query: { access_token: accessToken } });
      expectBearerError(response, 400, 'invalid_request');
    }
  });

  it('asks for a token when there is none → 401 with a bare Bearer realm="vetted" challenge', async () => {
    for (const path of [V3, V2])
      expectBearerError(await attributes(server, undefined, { path }), 401, undefined);
    expectBearerError(await attributes(server, undefined, { query: { access_token: '' } }), 401, undefined);
  });

  it('refuses an unknown or malformed token → 401 invalid_token', async () => {
    for (const token of ['x'.repeat(43), `${accessToken}x`, 'short']) {
      expectBearerError(await attributes(server, token), 401, 'invalid_token');
    }
    const basic = await attributes(server, undefined, { headers: { Authorization: 'Basic Zm9vOmJhcg==' } });
    expect(basic.status).toBe(401);
  });

  it('refuses an expired token → 401 invalid_token', async () => {
    const shortLived = await registerApp(server, { accessTokenTtl: 1 });
    const { token } = await codeFlow(server, shortLived, user);
    expect(token.body.expires_in).toBe(1);
    const value = String(token.body.access_token);
    expect((await attributes(server, value)).status).toBe(200);
    await sleep(1100);
    expectBearerError(await attributes(server, value), 401, 'invalid_token');
  });

  it('refuses a token granted no community scope → 403 insufficient_scope', async () => {
    const { token } = await codeFlow(server, app, user, { scope: 'openid profile' });
    expect(token.body.scope).toBe('openid profile');
    const response = await attributes(server, String(token.body.access_token));
    expectBearerError(response, 403, 'insufficient_scope');
  });

  it('answers a CORS preflight for browser partners', async () => {
    const response = await call(server, V3, {
      method: 'OPTIONS',
      headers: { Origin: 'https://partner.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('Authorization');
  });
});
