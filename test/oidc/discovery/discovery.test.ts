import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import { call, publishedJwks, startOidcServer } from '../../helpers/oidc.ts';

describe('discovery and JWKS', () => {
  let server: TestServer;
  let base: string;

  beforeAll(async () => {
    server = await startOidcServer();
    base = server.config.baseUrl;
  });
  afterAll(() => server.stop());

  it('serves the same document at /oidc/.well-known and at the root /.well-known', async () => {
    const oidc = await call(server, '/oidc/.well-known/openid-configuration');
    const root = await call(server, '/.well-known/openid-configuration');
    expect(oidc.status).toBe(200);
    expect(root.status).toBe(200);
    expect(oidc.headers.get('content-type')).toMatch(/^application\/json/);
    expect(root.json).toEqual(oidc.json);
    expect(oidc.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('names the issuer <base>/oidc and the endpoints of ID.me’s dialect', async () => {
    const { json } = await call(server, '/oidc/.well-known/openid-configuration');
    expect(json).toMatchObject({
      issuer: `${base}/oidc`,
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/oauth/token`,
      end_session_endpoint: `${base}/oauth/logout`,
      revocation_endpoint: `${base}/oauth/revoke`,
      introspection_endpoint: `${base}/oauth/introspect`,
      userinfo_endpoint: `${base}/api/public/v3/userinfo`,
      jwks_uri: `${base}/oidc/.well-known/jwks`,
      pushed_authorization_request_endpoint: `${base}/oauth/par`,
    });
    expect(json?.require_pushed_authorization_requests ?? false).toBe(false);
  });

  it('lists the response types, modes, PKCE method, grants and client authentication of SPEC §2', async () => {
    const { json } = await call(server, '/oidc/.well-known/openid-configuration');
    expect(json?.response_types_supported).toEqual(
      expect.arrayContaining([
        'code',
        'token',
        'id_token',
        'code id_token',
        'code token',
        'id_token token',
        'code id_token token',
      ]),
    );
    const again = await call(server, '/.well-known/openid-configuration');
    const types = again.json?.response_types_supported as string[];
    expect(types.filter((type) => type === 'token')).toEqual(['token']);
    expect(json?.response_modes_supported).toEqual(
      expect.arrayContaining(['query', 'fragment', 'form_post']),
    );
    expect(json?.code_challenge_methods_supported).toEqual(['S256']);
    expect(json?.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'implicit']),
    );
    expect(json?.grant_types_supported).not.toContain('password');
    expect(json?.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'none']),
    );
    expect(json?.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(['RS256', 'ES256']));
    expect(json?.id_token_signing_alg_values_supported).not.toContain('none');
    expect(json?.userinfo_signing_alg_values_supported).toEqual(expect.arrayContaining(['RS256', 'ES256']));
    expect(json?.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256', 'EdDSA']));
    expect(json?.authorization_response_iss_parameter_supported).toBe(true);
  });

  it('lists every community as a scope, with openid, profile and email', async () => {
    const { json } = await call(server, '/oidc/.well-known/openid-configuration');
    expect(json?.scopes_supported).toEqual(
      expect.arrayContaining([
        'openid',
        'profile',
        'email',
        'military',
        'student',
        'responder',
        'first_responder',
        'teacher',
        'government',
        'nurse',
        'medical',
        'alumni',
        'employee',
      ]),
    );
    expect(json?.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'given_name', 'family_name', 'email']),
    );
  });

  it('publishes public RS256 and ES256 keys only, never a private part', async () => {
    const response = await call(server, '/oidc/.well-known/jwks');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/(jwk-set\+)?json/);
    const { keys } = await publishedJwks(server);
    expect(keys.map((key) => key.alg).sort()).toEqual(['ES256', 'RS256']);
    for (const key of keys) {
      expect(key.kid).toEqual(expect.any(String));
      expect(key.use).toBe('sig');
      for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])
        expect(key).not.toHaveProperty(privatePart);
    }
    expect(keys.find((key) => key.alg === 'RS256')).toMatchObject({ kty: 'RSA', e: 'AQAB' });
    expect(keys.find((key) => key.alg === 'ES256')).toMatchObject({ kty: 'EC', crv: 'P-256' });
  });
});
