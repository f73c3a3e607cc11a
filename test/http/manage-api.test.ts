import { Validator } from '@seriousme/openapi-schema-validator';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementOperations } from '../../src/manage/operations.ts';
import { ManageClient } from '../helpers/manage.ts';
import { registerUser, startOidcServer, type TestUser } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** The management API's contract: schemas, authentication, roles and scopes, and tenant isolation. */
describe('management API', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let asAlice: ManageClient;
  let asBob: ManageClient;
  let aliceOrg: string;
  let bobOrg: string;

  beforeAll(async () => {
    server = await startOidcServer();
    alice = await registerUser(server);
    bob = await registerUser(server);
    asAlice = await ManageClient.signedIn(server, alice);
    asBob = await ManageClient.signedIn(server, bob);
    aliceOrg = String((await asAlice.call('POST', '/organizations', { name: 'Alice Shop' })).body.id);
    bobOrg = String((await asBob.call('POST', '/organizations', { name: 'Bob Airline' })).body.id);
  });
  afterAll(() => server.stop());

  const createApp = (client: ManageClient, org: string, body: Record<string, unknown> = {}) =>
    client.call('POST', `/organizations/${org}/applications`, {
      name: 'Shop',
      redirect_uris: ['https://shop.example/callback'],
      requested_scopes: ['military'],
      ...body,
    });

  it('serves an OpenAPI 3.1 document that validates and lists every operation', async () => {
    const response = await fetch(new URL('/api/manage/v1/openapi.json', server.config.baseUrl));
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const ids = Object.values(document.paths).flatMap((methods) =>
      Object.values(methods).map((op) => op.operationId),
    );
    expect(ids.sort()).toEqual(managementOperations.map((op) => op.id).sort());
  });

  it('refuses callers without a session or a valid key, and session writes without the CSRF header', async () => {
    const anonymous = await ManageClient.anonymous(server).call('GET', '/organizations');
    expect(anonymous).toMatchObject({ status: 401, body: { error: 'manage.unauthenticated' } });
    const badKey = await ManageClient.withKey(server, 'vtd_nope').call('GET', `/organizations/${aliceOrg}`);
    expect(badKey.status).toBe(401);
    expect(badKey.headers.get('www-authenticate')).toContain('invalid_token');
    const noCsrf = await asAlice.call('POST', '/organizations', { name: 'X' }, { csrf: false });
    expect(noCsrf).toMatchObject({ status: 403, body: { error: 'manage.csrf_token_invalid' } });
  });

  it('creates an application whose secret is shown once, edits it, and refuses stale or invalid edits', async () => {
    const created = await createApp(asAlice, aliceOrg);
    expect(created.status).toBe(201);
    const secret = String(created.body.client_secret);
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const application = created.body.application as Record<string, unknown>;
    expect(application).toMatchObject({
      mode: 'sandbox',
      requested_scopes: ['military'],
      enabled_scopes: ['openid', 'profile', 'email'],
    });
    const path = `/organizations/${aliceOrg}/applications/${String(application.client_id)}`;
    const read = await asAlice.call('GET', path);
    expect(JSON.stringify(read.body)).not.toContain(secret);

    const edited = await asAlice.call('PATCH', path, {
      redirect_uris: ['https://shop.example/callback', 'https://shop.example/other'],
      if_unmodified_since: application.updated_at,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.redirect_uris).toHaveLength(2);
    const stale = await asAlice.call('PATCH', path, {
      name: 'Late',
      if_unmodified_since: application.updated_at,
    });
    expect(stale).toMatchObject({ status: 409, body: { error: 'partners.conflict' } });
    const invalid = await asAlice.call('PATCH', path, { redirect_uris: 'https://x' });
    expect(invalid).toMatchObject({ status: 400, body: { error: 'manage.invalid_request' } });
    const badUri = await asAlice.call('PATCH', path, { redirect_uris: ['javascript:alert(1)'] });
    expect(badUri).toMatchObject({ status: 400, body: { error: 'partners.redirect_uri_invalid' } });
    const notJson = await asAlice.call('PATCH', path, Buffer.from('{'), { contentType: 'application/json' });
    expect(notJson).toMatchObject({ status: 400, body: { error: 'manage.invalid_request' } });

    const rotated = await asAlice.call('POST', `${path}/secrets`, { overlap_seconds: 3600 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.client_secret).not.toBe(secret);
    expect(rotated.body.secrets).toHaveLength(2);
    expect((await asAlice.call('GET', `${path}/secrets`)).body.items).toHaveLength(2);
  });

  it("answers 404 for every attempt on another organization's data", async () => {
    const created = await createApp(asAlice, aliceOrg);
    const clientId = (created.body.application as { client_id: string }).client_id;
    const key = await asBob.call('POST', `/organizations/${bobOrg}/api-keys`, {
      name: 'CI',
      scopes: ['applications:read', 'applications:write', 'organization:read'],
    });
    const bobKey = ManageClient.withKey(server, String(key.body.key));
    for (const [client, method, path, body] of [
      [asBob, 'GET', `/organizations/${aliceOrg}`],
      [asBob, 'GET', `/organizations/${aliceOrg}/applications`],
      [asBob, 'GET', `/organizations/${aliceOrg}/applications/${clientId}`],
      [asBob, 'GET', `/organizations/${bobOrg}/applications/${clientId}`],
      [asBob, 'PATCH', `/organizations/${bobOrg}/applications/${clientId}`, { name: 'Mine now' }],
      [asBob, 'DELETE', `/organizations/${bobOrg}/applications/${clientId}`],
      [asBob, 'POST', `/organizations/${bobOrg}/applications/${clientId}/secrets`, {}],
      [asBob, 'GET', `/organizations/${bobOrg}/applications/${clientId}/activity/api-calls`],
      [asBob, 'GET', `/organizations/${aliceOrg}/members`],
      [bobKey, 'GET', `/organizations/${aliceOrg}/applications`],
      [bobKey, 'GET', `/organizations/${bobOrg}/applications/${clientId}`],
      [
        bobKey,
        'POST',
        `/organizations/${aliceOrg}/applications`,
        { name: 'x', redirect_uris: ['https://x.example/cb'] },
      ],
    ] as [ManageClient, string, string, unknown?][]) {
      const response = await client.call(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    const still = await asAlice.call('GET', `/organizations/${aliceOrg}/applications/${clientId}`);
    expect(still.body.name).toBe('Shop');
    const list = await bobKey.call('GET', `/organizations/${bobOrg}/applications`);
    expect(list).toMatchObject({ status: 200, body: { total: 0 } });
  });

  it('holds API keys to their scopes and keeps key management to people', async () => {
    const created = await asAlice.call('POST', `/organizations/${aliceOrg}/api-keys`, {
      name: 'Read only',
      scopes: ['applications:read'],
    });
    expect(created.status).toBe(201);
    const readOnly = ManageClient.withKey(server, String(created.body.key));
    expect((await readOnly.call('GET', `/organizations/${aliceOrg}/applications`)).status).toBe(200);
    expect(await createApp(readOnly, aliceOrg)).toMatchObject({
      status: 403,
      body: { error: 'manage.insufficient_scope' },
    });
    expect(await readOnly.call('GET', `/organizations/${aliceOrg}/api-keys`)).toMatchObject({
      status: 403,
      body: { error: 'manage.session_required' },
    });
    const keys = await asAlice.call('GET', `/organizations/${aliceOrg}/api-keys`);
    expect(JSON.stringify(keys.body)).not.toContain(String(created.body.key));
    const apiKey = created.body.api_key as { id: string };
    expect((await asAlice.call('DELETE', `/organizations/${aliceOrg}/api-keys/${apiKey.id}`)).status).toBe(
      204,
    );
    expect((await readOnly.call('GET', `/organizations/${aliceOrg}/applications`)).status).toBe(401);
  });

  it('lets a viewer read but not write', async () => {
    const carol = await registerUser(server);
    const invited = await asAlice.call('POST', `/organizations/${aliceOrg}/invitations`, {
      email: carol.email,
      role: 'viewer',
    });
    expect(invited).toMatchObject({ status: 201, body: { role: 'viewer', accepted_at: null } });
    const [mail] = (await server.services.outbox.listRecent(20)).filter(
      (message) => message.to === carol.email,
    );
    const token = /\/developer\/invitations\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    const asCarol = await ManageClient.signedIn(server, carol);
    expect(await asCarol.call('POST', '/invitations/accept', { token })).toMatchObject({
      status: 200,
      body: { organization_id: aliceOrg, role: 'viewer' },
    });
    expect((await asCarol.call('POST', '/invitations/accept', { token })).status).toBe(410);
    expect((await asCarol.call('GET', `/organizations/${aliceOrg}/applications`)).status).toBe(200);
    expect(await createApp(asCarol, aliceOrg)).toMatchObject({
      status: 403,
      body: { error: 'partners.forbidden' },
    });
    expect(await asCarol.call('GET', `/organizations/${aliceOrg}/api-keys`)).toMatchObject({
      status: 403,
      body: { error: 'partners.forbidden' },
    });
  });

  it('takes a logo as PNG, JPEG or SVG and serves the re-encoded PNG', async () => {
    const created = await createApp(asAlice, aliceOrg);
    const path = `/organizations/${aliceOrg}/applications/${(created.body.application as { client_id: string }).client_id}`;
    const png = await sharp({ create: { width: 600, height: 300, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const uploaded = await asAlice.call('PUT', `${path}/logo`, png, { contentType: 'image/png' });
    expect(uploaded).toMatchObject({ status: 200, body: { width: 256, height: 128 } });
    const image = await fetch(String(uploaded.body.logo_url));
    expect(image.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width).toBe(256);
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><script>alert(1)</script><rect width="100" height="50" fill="#c00"/></svg>',
    );
    const vector = await asAlice.call('PUT', `${path}/logo`, svg, { contentType: 'image/svg+xml' });
    expect(vector).toMatchObject({ status: 200, body: { width: 256, height: 128 } });
    const served = await fetch(String(vector.body.logo_url));
    expect(served.headers.get('content-type')).toBe('image/png');
    expect((await fetch(String(uploaded.body.logo_url))).status).toBe(404);
    const wrongType = await asAlice.call('PUT', `${path}/logo`, png, { contentType: 'text/plain' });
    expect(wrongType).toMatchObject({ status: 415, body: { error: 'manage.unsupported_media_type' } });
    const lying = await asAlice.call('PUT', `${path}/logo`, Buffer.from('<html>hi</html>'), {
      contentType: 'image/png',
    });
    expect(lying).toMatchObject({ status: 400, body: { error: 'partners.logo_unsupported' } });
    const big = await asAlice.call('PUT', `${path}/logo`, Buffer.alloc(600 * 1024, 1), {
      contentType: 'image/png',
    });
    expect(big.status).toBe(413);
  });
});
