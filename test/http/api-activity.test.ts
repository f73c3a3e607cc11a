import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManageClient } from '../helpers/manage.ts';
import {
  basicAuth,
  Browser,
  call,
  csrfToken,
  registerUser,
  startOidcServer,
  type ApiResponse,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * The console's Activity records only the calls of an application that authenticated: anyone can name a
 * client, so calls that only named it (a wrong secret) are counted as failed authentications, never listed,
 * and cannot flush the partner's history (issue 13, point 6).
 */
describe('API call activity and failed client authentications', () => {
  let server: TestServer;
  let user: TestUser;
  let manage: ManageClient;
  let orgId: string;
  let clientId: string;
  let secret: string;
  let publicClientId: string;

  beforeAll(async () => {
    server = await startOidcServer();
    user = await registerUser(server);
    manage = await ManageClient.signedIn(server, user);
    orgId = String((await manage.call('POST', '/organizations', { name: 'Activity Shop' })).body.id);
    const created = await manage.call('POST', `/organizations/${orgId}/applications`, {
      name: 'Shop',
      redirect_uris: ['https://shop.example/callback'],
    });
    expect(created.status).toBe(201);
    clientId = (created.body.application as { client_id: string }).client_id;
    secret = String(created.body.client_secret);
    const spa = await manage.call('POST', `/organizations/${orgId}/applications`, {
      name: 'Shop SPA',
      redirect_uris: ['https://shop.example/spa'],
      client_type: 'public',
    });
    expect(spa.status).toBe(201);
    publicClientId = (spa.body.application as { client_id: string }).client_id;
  });
  afterAll(() => server.stop());

  const appPath = (id = clientId) => `/organizations/${orgId}/applications/${id}`;
  const form = (path: string, body: Record<string, string>, authorization?: string) =>
    call(server, path, {
      form: body,
      headers: authorization === undefined ? {} : { Authorization: authorization },
    });

  /** The same call with the right or a wrong secret, for each endpoint that authenticates a client. */
  const endpoints: Record<string, (authorization: string) => Promise<ApiResponse>> = {
    '/oauth/token': (auth) =>
      form('/oauth/token', { grant_type: 'authorization_code', code: 'not-a-code' }, auth),
    '/oauth/introspect': (auth) => form('/oauth/introspect', { token: 'not-a-token' }, auth),
    '/oauth/revoke': (auth) => form('/oauth/revoke', { token: 'not-a-token' }, auth),
    '/oauth/par': (auth) =>
      form(
        '/oauth/par',
        { response_type: 'code', redirect_uri: 'https://shop.example/callback', scope: 'openid' },
        auth,
      ),
    '/api/public/v3/policies': (auth) =>
      call(server, '/api/public/v3/policies', { headers: { Authorization: auth } }),
  };

  async function apiCalls(id = clientId) {
    const listed = await manage.call('GET', `${appPath(id)}/activity/api-calls?limit=100`);
    expect(listed.status).toBe(200);
    return listed.body as { items: { endpoint: string; status: number }[]; total: number };
  }

  async function failures(id = clientId) {
    const response = await manage.call('GET', `${appPath(id)}/activity/authentication-failures`);
    expect(response.status).toBe(200);
    return response.body as {
      last_24_hours: number;
      last_30_days: number;
      since: string | null;
      by_endpoint: { endpoint: string; last_24_hours: number }[];
    };
  }

  /** Recording happens after the response: waits until `check` holds (or fails with its last error). */
  async function eventually(check: () => Promise<void>): Promise<void> {
    const until = Date.now() + 5_000;
    for (;;) {
      try {
        await check();
        return;
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  it('records calls that authenticated, and only counts 60 calls with a wrong secret', async () => {
    const right = basicAuth(clientId, secret);
    for (const send of Object.values(endpoints)) expect((await send(right)).status).toBeLessThan(500);
    await eventually(async () => expect((await apiCalls()).total).toBe(5));
    const history = await apiCalls();
    expect(history.items.map((item) => item.endpoint).sort()).toEqual(Object.keys(endpoints).sort());

    const wrong = basicAuth(clientId, `${secret}-wrong`);
    const perEndpoint = { '/oauth/token': 25, '/oauth/introspect': 15, '/oauth/revoke': 10, '/oauth/par': 5 };
    const expected: Record<string, number> = { ...perEndpoint, '/api/public/v3/policies': 5 };
    for (const [endpoint, times] of Object.entries(expected)) {
      for (let attempt = 0; attempt < times; attempt += 1) {
        const response = await endpoints[endpoint]?.(wrong);
        expect(response?.status, endpoint).toBe(401);
        expect(response?.json?.error, endpoint).toBe('invalid_client');
      }
    }
    // A secret sent in the body (client_secret_post) fails the same way.
    const posted = await form('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: clientId,
      client_secret: 'wrong',
    });
    expect(posted.status).toBe(401);

    // A call that authenticated is still recorded; once it is there, every call before it was seen.
    expect((await endpoints['/api/public/v3/policies']?.(right))?.status).toBe(200);
    await eventually(async () => expect((await apiCalls()).items[0]?.status).toBe(200));
    // The history is what it was, and that call: the failures are not among the calls.
    const after = await apiCalls();
    expect(after.total).toBe(6);
    expect(after.items[0]).toMatchObject({ endpoint: '/api/public/v3/policies', status: 200 });
    expect(after.items.slice(1)).toEqual(history.items);

    await eventually(async () => expect((await failures()).last_24_hours).toBe(61));
    const counted = await failures();
    expect(counted.last_30_days).toBe(61);
    expect(counted.since).not.toBeNull();
    expect(Object.fromEntries(counted.by_endpoint.map((row) => [row.endpoint, row.last_24_hours]))).toEqual({
      ...expected,
      '/oauth/token': 26,
    });
  });

  it('shows the count on the console’s Activity page', async () => {
    const browser = new Browser();
    const url = (path: string) => new URL(path, server.config.baseUrl);
    const signIn = await (await browser.request(url('/account/sign-in'))).text();
    await browser.request(url('/account/sign-in'), {
      form: { _csrf: csrfToken(signIn), email: user.email, password: user.password },
    });
    const page = await browser.request(url(`/developer/orgs/${orgId}/apps/${clientId}/activity`));
    expect(page.status).toBe(200);
    const text = (await page.text()).replace(/\s+/g, ' ');
    expect(text).toContain('61 failed client authentications</strong> in the last 24 hours');
    expect(text).toContain('<td><code>/oauth/token</code></td> <td>26</td>');
  });

  it('counts nothing for unknown clients and records nothing for calls that only name a client', async () => {
    const before = await failures();
    const history = await apiCalls();
    expect((await endpoints['/oauth/token']?.(basicAuth('no-such-client', 'x')))?.status).toBe(401);
    // A client named in the query of a call whose token is not valid.
    const attributes = await call(
      server,
      `/api/public/v3/attributes.json?access_token=not-a-token&client_id=${clientId}`,
    );
    expect(attributes.status).toBe(401);
    const documents = await call(server, `/api/public/v3/documents/not-a-token?client_id=${clientId}`, {
      method: 'POST',
      headers: { Authorization: 'Bearer vdp_not-a-token' },
    });
    expect(documents.status).toBe(401);
    const userinfo = await call(server, `/api/public/v3/userinfo?client_id=${clientId}`, {
      headers: { Authorization: 'Bearer not-a-token' },
    });
    expect(userinfo.status).toBe(401);
    // Anyone may name a public client (it has no secret): a token request that issued nothing is not its call.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const refused = await form('/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: 'not-a-token',
        client_id: publicClientId,
      });
      expect(refused.status).toBe(400);
    }
    // One authenticated call after them all: once it is there, everything before it was seen.
    expect((await endpoints['/oauth/introspect']?.(basicAuth(clientId, secret)))?.status).toBe(200);
    await eventually(async () => expect((await apiCalls()).total).toBe(history.total + 1));
    expect((await apiCalls()).items[0]).toMatchObject({ endpoint: '/oauth/introspect' });
    expect(await failures()).toEqual(before);
    expect(await apiCalls(publicClientId)).toMatchObject({ total: 0 });
    expect(await failures(publicClientId)).toMatchObject({ last_24_hours: 0, by_endpoint: [] });
  });
});
