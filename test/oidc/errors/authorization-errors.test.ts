import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  authorizeDirect,
  registerApp,
  REDIRECT_URI,
  startOidcServer,
  type ApiResponse,
  type TestApp,
} from '../../helpers/oidc.ts';

/** Vetted's own error page: HTML in its look, never a redirect, with the RFC 6749 code for support. */
function expectErrorPage(response: ApiResponse & { location: URL | undefined }, code: string): void {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  expect(response.headers.get('location')).toBeNull();
  expect(response.location).toBeUndefined();
  expect(response.text).toMatch(/^<!doctype html>/i);
  expect(response.text).toContain('vetted.css');
  expect(response.text).toContain(`<code>${code}</code>`);
  expect(response.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
}

describe('authorization endpoint errors (SPEC §2)', () => {
  let server: TestServer;
  let app: TestApp;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['military', 'student'] });
  });
  afterAll(() => server.stop());

  const request = (params: Record<string, string>) =>
    authorizeDirect(server, {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      scope: 'military',
      state: 'xyz',
      ...params,
    });

  /** The partner's redirect URI carries the error and the state; nothing else of the request leaks. */
  function expectRedirectError(response: Awaited<ReturnType<typeof request>>, error: string): void {
    expect(response.status).toBe(303);
    expect(`${response.location?.origin ?? ''}${response.location?.pathname ?? ''}`).toBe(REDIRECT_URI);
    expect(response.params).toMatchObject({ error, state: 'xyz', iss: `${server.config.baseUrl}/oidc` });
    expect(response.params.error_description).toEqual(expect.any(String));
    expect(response.params.code).toBeUndefined();
  }

  describe('on Vetted’s error page, never redirected', () => {
    it('an unknown client_id', async () => {
      const response = await request({ client_id: 'no-such-client' });
      expectErrorPage(response, 'invalid_client');
      expect(response.text).toContain('This application is not registered');
    });

    it('an unregistered redirect_uri, even one that differs only slightly from a registered one', async () => {
      for (const redirect of [
        'https://attacker.example/callback',
        `${REDIRECT_URI}/`,
        `${REDIRECT_URI}?x=1`,
        REDIRECT_URI.replace('https:', 'http:'),
        REDIRECT_URI.toUpperCase(),
      ]) {
        const response = await request({ redirect_uri: redirect });
        expectErrorPage(response, 'redirect_uri_mismatch');
        expect(response.text).toContain('This return address is not registered');
        expect(response.text).not.toContain('attacker.example');
      }
    });

    it('a missing client_id', async () => {
      const response = await authorizeDirect(server, {
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'military',
      });
      expectErrorPage(response, 'invalid_request');
    });

    it('a disabled application, which no longer exists for the protocol', async () => {
      const disabled = await registerApp(server);
      await server.services.applications.setStatus(disabled.clientId, 'disabled', { type: 'operator' });
      const response = await request({ client_id: disabled.clientId });
      expectErrorPage(response, 'invalid_client');
    });
  });

  describe('on the partner’s redirect URI, with the state', () => {
    it('a scope that does not exist → invalid_scope', async () => {
      for (const scope of ['military wizard', 'wizard', 'openid wizard']) {
        const response = await request({ scope });
        expectRedirectError(response, 'invalid_scope');
        expect(response.params.error_description).toBe('requested scope does not exist');
        expect(response.params.scope).toBe('wizard');
      }
      expectRedirectError(await request({ scope: 'military  student' }), 'invalid_scope');
    });

    it('a scope the application is not enabled for → invalid_scope', async () => {
      const response = await request({ scope: 'military teacher' });
      expectRedirectError(response, 'invalid_scope');
      expect(response.params.error_description).toMatch(/not (allowed|enabled)/);
      expect(response.params.scope).toBe('teacher');
    });

    it('a missing scope → invalid_request', async () => {
      const url = await authorizeDirect(server, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: 'code',
        state: 'xyz',
      });
      expectRedirectError(url, 'invalid_request');
      expect(url.params.error_description).toContain('scope');
      expectRedirectError(await request({ scope: '' }), 'invalid_request');
    });

    it('an op other than signin or signup → invalid_request', async () => {
      for (const op of ['login', 'SIGNUP', 'signin signup']) {
        const response = await request({ op });
        expectRedirectError(response, 'invalid_request');
        expect(response.params.error_description).toContain('op');
      }
    });

    it('an eid that is not 1–255 printable ASCII characters → invalid_request', async () => {
      expectRedirectError(await request({ eid: 'a b' }), 'invalid_request');
      expectRedirectError(await request({ eid: 'x'.repeat(256) }), 'invalid_request');
      expectRedirectError(await request({ eid: 'é' }), 'invalid_request');
    });

    it('a response type Vetted does not know → unsupported_response_type', async () => {
      for (const type of ['code foo', 'foo', 'none token']) {
        expectRedirectError(await request({ response_type: type }), 'unsupported_response_type');
      }
    });

    it('a response type the application is not enabled for → unauthorized_client', async () => {
      for (const [type, extra] of [
        ['id_token', { scope: 'openid military', nonce: 'n' }],
        ['token', {}],
        ['code token', {}],
        ['code id_token', { scope: 'openid military', nonce: 'n' }],
      ] as const) {
        const response = await request({ response_type: type, ...extra });
        expect(response.location?.hash).not.toBe('');
        expectRedirectError(response, 'unauthorized_client');
      }
    });

    it('a missing response_type → invalid_request', async () => {
      const response = await authorizeDirect(server, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        scope: 'military',
        state: 'xyz',
      });
      expectRedirectError(response, 'invalid_request');
    });

    it('a response mode Vetted does not know → unsupported_response_mode (oidc-provider’s code)', async () => {
      expectRedirectError(await request({ response_mode: 'carrier_pigeon' }), 'unsupported_response_mode');
    });

    it('a parameter sent twice → invalid_request', async () => {
      const url = new URL('/oauth/authorize', server.config.baseUrl);
      url.search = new URLSearchParams([
        ['client_id', app.clientId],
        ['redirect_uri', app.redirectUri],
        ['response_type', 'code'],
        ['scope', 'military'],
        ['state', 'xyz'],
        ['scope', 'student'],
      ]).toString();
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('state')).toBe('xyz');
    });
  });

  it('answers an authorization POSTed as a form the same way (as a GET of the same request)', async () => {
    const post = (body: string, type = 'application/x-www-form-urlencoded') =>
      fetch(new URL('/oauth/authorize', server.config.baseUrl), {
        method: 'POST',
        headers: { 'Content-Type': type, Accept: 'text/html' },
        body,
        redirect: 'manual',
      });
    const asJson = await post('{"client_id":"x"}', 'application/json');
    expect(asJson.status).toBe(400);
    expect(asJson.headers.get('content-type')).toMatch(/^text\/html/);
    expect(asJson.headers.get('location')).toBeNull();
    const huge = await post(`state=${'x'.repeat(20_000)}`);
    expect(huge.status).toBe(413);
    const response = await fetch(new URL('/oauth/authorize', server.config.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: 'code',
        scope: 'wizard',
        state: 'xyz',
      }).toString(),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const get = new URL(response.headers.get('location') ?? '', server.config.baseUrl);
    expect(get.pathname).toBe('/oauth/authorize');
    const answer = await fetch(get, { redirect: 'manual' });
    const location = new URL(answer.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('state')).toBe('xyz');
  });
});
