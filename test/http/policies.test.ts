import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, registerApp, startOidcServer, type TestApp } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** `GET /api/public/v3/policies`: the communities an application is enabled for, for the application itself. */
describe('policies endpoint', () => {
  let server: TestServer;
  let app: TestApp;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['military', 'student', 'openid'] });
  });
  afterAll(() => server.stop());

  const policies = (query = '', headers: Record<string, string> = {}) =>
    fetch(new URL(`/api/public/v3/policies${query}`, server.config.baseUrl), { headers });

  it('answers the enabled communities with their subgroups, authenticated with Basic or the query', async () => {
    const expected = [
      {
        name: 'Military',
        handle: 'military',
        active: true,
        groups: [
          {
            name: 'Military',
            handle: 'military',
            subgroups: ['Service Member', 'Veteran', 'Retiree', 'Military Spouse', 'Military Family'],
          },
        ],
      },
      {
        name: 'Student',
        handle: 'student',
        active: true,
        groups: [
          { name: 'Student', handle: 'student', subgroups: ['University Student', 'High School Student'] },
        ],
      },
    ];
    const basic = await policies('', { Authorization: basicAuth(app.clientId, app.clientSecret) });
    expect(basic.status).toBe(200);
    expect(basic.headers.get('cache-control')).toBe('no-store');
    expect(await basic.json()).toEqual(expected);
    const query = await policies(
      `?client_id=${app.clientId}&client_secret=${encodeURIComponent(app.clientSecret)}`,
    );
    expect(await query.json()).toEqual(expected);
  });

  it('refuses missing or wrong credentials (401 invalid_client), and both ways at once (400)', async () => {
    const none = await policies();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="vetted"');
    expect(await none.json()).toMatchObject({ error: 'invalid_client' });
    expect((await policies('', { Authorization: basicAuth(app.clientId, 'wrong') })).status).toBe(401);
    expect((await policies('', { Authorization: basicAuth('no-such-client', 'x') })).status).toBe(401);
    expect((await policies('', { Authorization: 'Basic !!!' })).status).toBe(401);
    const both = await policies(`?client_id=${app.clientId}&client_secret=x`, {
      Authorization: basicAuth(app.clientId, app.clientSecret),
    });
    expect(both.status).toBe(400);
  });

  it('says a suspended application’s policies are not active', async () => {
    const suspended = await registerApp(server, { scopes: ['teacher'] });
    await server.services.applications.setStatus(suspended.clientId, 'suspended', { type: 'operator' });
    const response = await policies('', {
      Authorization: basicAuth(suspended.clientId, suspended.clientSecret),
    });
    expect(await response.json()).toMatchObject([{ handle: 'teacher', active: false }]);
  });
});
