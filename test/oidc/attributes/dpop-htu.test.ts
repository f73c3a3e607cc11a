import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  authorizeApp,
  basicAuth,
  call,
  dpopKey,
  dpopProof,
  registerApp,
  registerUser,
  responseParams,
  startOidcServer,
  type DpopKey,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

/**
 * RFC 9449 §4.2: a DPoP proof's `htu` is the request's URI "without query and fragment parts"; a proof that
 * names a query or a fragment is refused (`invalid_dpop_proof`) at the token, PAR, userinfo and attributes
 * endpoints alike (issue 13, point 8).
 */
describe('DPoP proofs whose htu carries a query or fragment', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;
  let key: DpopKey;
  let tokenUrl: string;
  const url = (path: string) => `${server.config.baseUrl}${path}`;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server);
    user = await registerUser(server, { verify: [['military', 'Service Member']] });
    key = await dpopKey();
    tokenUrl = url('/oauth/token');
  });
  afterAll(() => server.stop());

  /** A code exchanged with a proof naming `htu`. */
  async function exchange(htu: string) {
    const journey = await authorizeApp(server, app, user, { scope: 'openid military' });
    return call(server, tokenUrl, {
      headers: { DPoP: await dpopProof(key, { htm: 'POST', htu }) },
      form: {
        grant_type: 'authorization_code',
        code: responseParams(journey.callback).code ?? '',
        redirect_uri: app.redirectUri,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      },
    });
  }

  it('refuses them at the token endpoint, and still binds a token with a plain htu', async () => {
    for (const htu of [`${tokenUrl}?grant_type=authorization_code`, `${tokenUrl}#fragment`, `${tokenUrl}?`]) {
      const refused = await exchange(htu);
      expect(refused.status, htu).toBe(400);
      expect(refused.json, htu).toMatchObject({ error: 'invalid_dpop_proof' });
      expect(refused.headers.get('cache-control')).toBe('no-store');
    }
    const bound = await exchange(tokenUrl);
    expect(bound.status).toBe(200);
    expect(bound.json?.token_type).toBe('DPoP');
  });

  it('refuses them at the PAR endpoint', async () => {
    const parUrl = url('/oauth/par');
    const push = async (htu: string) =>
      call(server, parUrl, {
        headers: {
          Authorization: basicAuth(app.clientId, app.clientSecret),
          DPoP: await dpopProof(key, { htm: 'POST', htu }),
        },
        form: {
          client_id: app.clientId,
          response_type: 'code',
          redirect_uri: app.redirectUri,
          scope: 'openid military',
          state: 'par-state',
        },
      });
    const refused = await push(`${parUrl}?x=1`);
    expect(refused.status).toBe(400);
    expect(refused.json?.error).toBe('invalid_dpop_proof');
    expect((await push(parUrl)).status).toBe(201);
  });

  it('refuses them at the attributes and userinfo endpoints with a DPoP-bound token', async () => {
    const accessToken = String((await exchange(tokenUrl)).json?.access_token);
    const v3Url = url('/api/public/v3/attributes.json');
    const userinfoUrl = url('/api/public/v3/userinfo');
    const resource = async (target: string, htu: string) =>
      call(server, target, {
        headers: {
          Authorization: `DPoP ${accessToken}`,
          DPoP: await dpopProof(key, { htm: 'GET', htu, accessToken }),
        },
      });
    for (const target of [v3Url, userinfoUrl]) {
      for (const htu of [`${target}?scope=military`, `${target}#x`]) {
        const refused = await resource(target, htu);
        expect(refused.status, htu).toBe(401);
        expect(refused.json?.error, htu).toBe('invalid_dpop_proof');
        expect(refused.headers.get('www-authenticate'), htu).toMatch(/^DPoP .*error="invalid_dpop_proof"/);
      }
      expect((await resource(target, target)).status, target).toBe(200);
    }
    // A query on the request itself is fine: the proof names the URI without it.
    const withQuery = await attributes(server, undefined, {
      query: { unused: '1' },
      headers: {
        Authorization: `DPoP ${accessToken}`,
        DPoP: await dpopProof(key, { htm: 'GET', htu: v3Url, accessToken }),
      },
    });
    expect(withQuery.status).toBe(200);
  });
});
