import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  authorizeApp,
  call,
  codeFlow,
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

describe('attributes API: single-use access tokens and DPoP-bound tokens', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;
  let v3Url: string;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server);
    user = await registerUser(server, { verify: [['military', 'Service Member']] });
    v3Url = `${server.config.baseUrl}/api/public/v3/attributes.json`;
  });
  afterAll(() => server.stop());

  describe('single-use access tokens (ID.me’s documented behaviour, opt-in per application)', () => {
    it('answers the first call and refuses the second → 401 invalid_token', async () => {
      const singleUse = await registerApp(server, { singleUseAccessTokens: true });
      const { token } = await codeFlow(server, singleUse, user);
      const accessToken = String(token.body.access_token);
      expect((await attributes(server, accessToken)).status).toBe(200);
      const second = await attributes(server, accessToken, { path: '/api/public/v2/attributes.json' });
      expect(second.status).toBe(401);
      expect(second.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(second.json?.error).toBe('invalid_token');
    });

    it('lets exactly one of several concurrent calls through', async () => {
      const singleUse = await registerApp(server, { singleUseAccessTokens: true });
      const { token } = await codeFlow(server, singleUse, user);
      const accessToken = String(token.body.access_token);
      const statuses = (await Promise.all([1, 2, 3].map(() => attributes(server, accessToken)))).map(
        (response) => response.status,
      );
      expect(statuses.sort()).toEqual([200, 401, 401]);
    });

    it('is off by default: a token answers many calls', async () => {
      const { token } = await codeFlow(server, app, user);
      for (let call = 0; call < 3; call++) {
        expect((await attributes(server, String(token.body.access_token))).status).toBe(200);
      }
    });
  });

  describe('DPoP (RFC 9449)', () => {
    let key: DpopKey;
    let accessToken: string;

    /** A code exchanged with a DPoP proof: the access token is bound to `key`. */
    async function dpopBoundToken(proofKey: DpopKey) {
      const journey = await authorizeApp(server, app, user);
      const tokenUrl = `${server.config.baseUrl}/oauth/token`;
      return call(server, tokenUrl, {
        headers: { DPoP: await dpopProof(proofKey, { htm: 'POST', htu: tokenUrl }) },
        form: {
          grant_type: 'authorization_code',
          code: responseParams(journey.callback).code ?? '',
          redirect_uri: app.redirectUri,
          client_id: app.clientId,
          client_secret: app.clientSecret,
        },
      });
    }

    const withDpop = async (proof: string, token = accessToken, scheme = 'DPoP') =>
      attributes(server, undefined, { headers: { Authorization: `${scheme} ${token}`, DPoP: proof } });

    beforeAll(async () => {
      key = await dpopKey();
      const response = await dpopBoundToken(key);
      expect(response.status).toBe(200);
      expect(response.json?.token_type).toBe('DPoP');
      accessToken = String(response.json?.access_token);
    });

    it('issues token_type DPoP for a token request with a proof', async () => {
      const response = await dpopBoundToken(await dpopKey());
      expect(response.json).toMatchObject({ token_type: 'DPoP', expires_in: 300, scope: 'military' });
    });

    it('refuses a DPoP-bound token presented with the Bearer scheme or in the query', async () => {
      const bearer = await attributes(server, accessToken);
      expect(bearer.status).toBe(401);
      expect(bearer.json?.error).toBe('invalid_token');
      const query = await attributes(server, undefined, { query: { access_token: accessToken } });
      expect(query.status).toBe(401);
    });

    it('accepts it with Authorization: DPoP and a valid proof carrying ath', async () => {
      const proof = await dpopProof(key, { htm: 'GET', htu: v3Url, accessToken });
      const response = await withDpop(proof);
      expect(response.status).toBe(200);
      expect(response.json?.status).toEqual([
        { group: 'military', subgroups: ['Service Member'], verified: true },
      ]);
    });

    it('refuses a replayed proof', async () => {
      const proof = await dpopProof(key, { htm: 'GET', htu: v3Url, accessToken });
      expect((await withDpop(proof)).status).toBe(200);
      const replay = await withDpop(proof);
      expect(replay.status).toBe(401);
      expect(replay.headers.get('www-authenticate')).toMatch(/^DPoP /);
      expect(replay.json?.error).toBe('invalid_dpop_proof');
    });

    it('refuses proofs that do not fit the request, the token or the key', async () => {
      const other = await dpopKey();
      const proofs = [
        await dpopProof(key, { htm: 'GET', htu: v3Url }),
        await dpopProof(key, { htm: 'POST', htu: v3Url, accessToken }),
        await dpopProof(key, {
          htm: 'GET',
          htu: `${server.config.baseUrl}/api/public/v2/attributes.json`,
          accessToken,
        }),
        await dpopProof(key, { htm: 'GET', htu: v3Url, accessToken: 'another-token' }),
        await dpopProof(key, {
          htm: 'GET',
          htu: v3Url,
          accessToken,
          iat: Math.floor(Date.now() / 1000) - 3600,
        }),
        await dpopProof(other, { htm: 'GET', htu: v3Url, accessToken }),
        'not-a-proof',
        '',
      ];
      for (const proof of proofs) {
        const response = await withDpop(proof);
        expect(response.status).toBe(401);
        expect(response.json?.error).toBe('invalid_dpop_proof');
      }
    });

    it('refuses the DPoP scheme for a token that is not DPoP-bound', async () => {
      const { token } = await codeFlow(server, app, user);
      const bearerToken = String(token.body.access_token);
      const proof = await dpopProof(key, { htm: 'GET', htu: v3Url, accessToken: bearerToken });
      const response = await withDpop(proof, bearerToken);
      expect(response.status).toBe(401);
      expect(response.json?.error).toBe('invalid_token');
    });
  });
});
