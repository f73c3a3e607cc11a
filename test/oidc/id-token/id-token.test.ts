import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  codeFlow,
  publishedJwks,
  registerApp,
  registerUser,
  startOidcServer,
  verifyServerJwt,
  type TestUser,
} from '../../helpers/oidc.ts';

describe('ID tokens: RS256 by default, ES256 per application, keys from signing_keys', () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startOidcServer();
    user = await registerUser(server, { verify: [['military', 'Veteran']] });
  });
  afterAll(() => server.stop());

  async function idTokenFor(alg?: 'RS256' | 'ES256') {
    const app = await registerApp(server, alg === undefined ? {} : { idTokenSignedResponseAlg: alg });
    const { token } = await codeFlow(server, app, user, { scope: 'openid military', nonce: 'n-42' });
    expect(token.status).toBe(200);
    return { app, idToken: String(token.body.id_token) };
  }

  it('is issued only when openid is requested', async () => {
    const app = await registerApp(server);
    const { token } = await codeFlow(server, app, user, { scope: 'military' });
    expect(token.body.id_token).toBeUndefined();
  });

  it('is signed with RS256 by default, with the kid of the active RS256 signing key', async () => {
    const { app, idToken } = await idTokenFor();
    const { payload, protectedHeader } = await verifyServerJwt(server, idToken, app.clientId);
    expect(protectedHeader.alg).toBe('RS256');
    const active = (await server.services.keys.list()).find(
      (key) => key.alg === 'RS256' && key.status === 'active',
    );
    expect(protectedHeader.kid).toBe(active?.kid);
    expect(payload).toMatchObject({
      iss: `${server.config.baseUrl}/oidc`,
      aud: app.clientId,
      sub: user.id,
      nonce: 'n-42',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('is signed with ES256 for an application configured for it', async () => {
    const { app, idToken } = await idTokenFor('ES256');
    const { payload, protectedHeader } = await verifyServerJwt(server, idToken, app.clientId);
    expect(protectedHeader.alg).toBe('ES256');
    const jwk = (await publishedJwks(server)).keys.find((key) => key.kid === protectedHeader.kid);
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(payload.sub).toBe(user.id);
  });

  it('does not verify against another application (aud) or with a tampered payload', async () => {
    const { idToken } = await idTokenFor();
    await expect(verifyServerJwt(server, idToken, 'another-client')).rejects.toThrow();
    const [header, payload, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    await expect(
      verifyServerJwt(server, `${header!}.${forged}.${signature!}`, String(claims.aud)),
    ).rejects.toThrow();
  });

  it('rotates with the signing keys: new ID tokens carry the new kid, old ones still verify', async () => {
    const before = await idTokenFor();
    const oldKid = decodeProtectedHeader(before.idToken).kid;
    const rotated = await server.services.keys.rotate('RS256', { type: 'operator' });
    server.services.keys.refresh();
    expect(rotated.kid).not.toBe(oldKid);
    const after = await idTokenFor();
    const { protectedHeader } = await verifyServerJwt(server, after.idToken, after.app.clientId);
    expect(protectedHeader.kid).toBe(rotated.kid);
    const kids = (await publishedJwks(server)).keys.map((key) => key.kid);
    expect(kids).toEqual(expect.arrayContaining([oldKid, rotated.kid]));
    await expect(verifyServerJwt(server, before.idToken, before.app.clientId)).resolves.toBeDefined();
  });
});
