import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApp, startOidcServer, type TestApp } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

describe('the verification button script and the community picker', () => {
  let server: TestServer;
  let app: TestApp;
  const url = (path: string) => `${server.config.baseUrl}${path}`;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { scopes: ['openid', 'military', 'responder', 'student'] });
  });
  afterAll(async () => {
    await server.stop();
  });

  /** The bytes as sent (fetch would decode them), with the headers. */
  function raw(path: string, headers: Record<string, string>) {
    return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
      (resolve, reject) => {
        request(url(path), { headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
            });
          });
        })
          .on('error', reject)
          .end();
      },
    );
  }

  describe('/js/button.js', () => {
    const identity = { headers: { 'Accept-Encoding': 'identity' } };

    it('serves one script at both names, loadable from partners’ pages, revalidated by its content hash', async () => {
      const button = await fetch(url('/js/button.js'), identity);
      const alias = await fetch(url('/js/idme-wallet-button.js'), identity);
      expect(button.status).toBe(200);
      expect(button.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(button.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(button.headers.get('access-control-allow-origin')).toBe('*');
      expect(button.headers.get('cache-control')).toBe('public, max-age=3600');
      const etag = button.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[\w-]{27}"$/);
      const body = await button.text();
      expect(body).toContain('window.Vetted = {');
      expect(await alias.text()).toBe(body);
      expect(alias.headers.get('etag')).toBe(etag);
      const again = await fetch(url('/js/button.js'), {
        headers: { 'If-None-Match': etag, 'Accept-Encoding': 'identity' },
      });
      expect(again.status).toBe(304);
    });

    it('sends it compressed with brotli or gzip when the browser accepts them, each with its own ETag', async () => {
      const plain = await raw('/js/button.js', { 'Accept-Encoding': 'identity' });
      const br = await raw('/js/button.js', { 'Accept-Encoding': 'gzip, deflate, br' });
      const gzip = await raw('/js/button.js', { 'Accept-Encoding': 'gzip' });
      const unasked = await raw('/js/button.js', {});
      expect(unasked.headers['content-encoding']).toBeUndefined();
      expect(unasked.body.equals(plain.body)).toBe(true);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(br.headers['content-encoding']).toBe('br');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      for (const response of [plain, br, gzip]) expect(response.headers.vary).toBe('Accept-Encoding');
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
      expect(br.body.length).toBeLessThan(plain.body.length / 2);
      const etags = new Set([plain, br, gzip].map((response) => response.headers.etag));
      expect(etags.size).toBe(3);
      const revalidated = await raw('/js/button.js', {
        'Accept-Encoding': 'br',
        'If-None-Match': String(br.headers.etag),
      });
      expect(revalidated.status).toBe(304);
    });

    it('has an immutable URL per version, named by the same hash', async () => {
      const stable = await fetch(url('/js/button.js'), identity);
      const link = /^<([^>]+)>; rel="canonical"$/.exec(stable.headers.get('link') ?? '')?.[1] ?? '';
      expect(link).toBe(`/js/button.${(stable.headers.get('etag') ?? '').slice(1, -1)}.js`);
      const versioned = await fetch(url(link), identity);
      expect(versioned.status).toBe(200);
      expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(versioned.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(await versioned.text()).toBe(await stable.text());
      expect((await fetch(url('/js/button.AAAAAAAAAAAAAAAAAAAAAAAAAAA.js'))).status).toBe(404);
      // One set of URLs: the script is not also a /static file.
      expect((await fetch(url('/static/button.js'))).status).toBe(404);
      expect((await fetch(url('/static/js'))).status).toBe(404);
    });
  });

  describe('/groups', () => {
    const picker = (params: Record<string, string>) =>
      fetch(url(`/groups?${new URLSearchParams(params).toString()}`), { redirect: 'manual' });
    const base = () => ({ client_id: app.clientId, redirect_uri: app.redirectUri, response_type: 'code' });

    it('lists the requested communities the application is enabled for, each continuing to the authorization', async () => {
      const response = await picker({
        ...base(),
        scopes: 'military,responder,teacher',
        state: 'xyz',
        code_challenge: 'abc',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      // The page runs in the button's popup, which must keep its opener.
      expect(response.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
      const page = await response.text();
      expect(page).toContain('<h1 class="card__title">Choose your community</h1>');
      expect(page).toContain('Partner Shop');
      const links = [...page.matchAll(/<a class="community-choice" href="([^"]+)"/g)].map(
        (match) => new URL((match[1] ?? '').replaceAll('&amp;', '&')),
      );
      expect(links.map((link) => link.searchParams.get('scope'))).toEqual(['military', 'responder']);
      for (const link of links) {
        expect(link.origin + link.pathname).toBe(url('/oauth/authorize'));
        expect(link.searchParams.get('state')).toBe('xyz');
        expect(link.searchParams.get('code_challenge')).toBe('abc');
        expect(link.searchParams.get('client_id')).toBe(app.clientId);
        expect(link.searchParams.has('scopes')).toBe(false);
      }
      expect(page).not.toContain('Teacher');
      const cancel = new URL(
        (/<a class="button button--secondary" href="([^"]+)"/.exec(page)?.[1] ?? '').replaceAll('&amp;', '&'),
      );
      expect(cancel.origin + cancel.pathname).toBe(app.redirectUri);
      expect(Object.fromEntries(cancel.searchParams)).toMatchObject({
        error: 'access_denied',
        state: 'xyz',
        iss: server.config.issuer,
      });
    });

    it('keeps non-community scopes (openid) alongside the chosen community', async () => {
      const page = await (await picker({ ...base(), scopes: 'military,responder', scope: 'openid' })).text();
      expect(page).toContain('scope=military+openid');
      expect(page).toContain('scope=responder+openid');
    });

    it('goes straight to the authorization when only one requested community is enabled', async () => {
      const response = await picker({ ...base(), scopes: 'military,teacher', state: 's' });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.pathname).toBe('/oauth/authorize');
      expect(location.searchParams.get('scope')).toBe('military');
      expect(location.searchParams.get('state')).toBe('s');
    });

    it('offers every enabled community when none is named', async () => {
      for (const named of [{}, { scope: 'openid' }] as Record<string, string>[]) {
        const page = await (await picker({ ...base(), ...named })).text();
        for (const name of ['Military', 'First Responder', 'Student']) expect(page).toContain(name);
      }
    });

    it('tells the partner, at its registered redirect URI, when none of the requested communities is enabled', async () => {
      const response = await picker({ ...base(), scopes: 'teacher,nurse', state: 'q' });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.origin + location.pathname).toBe(app.redirectUri);
      expect(location.searchParams.get('error')).toBe('invalid_scope');
      expect(location.searchParams.get('state')).toBe('q');
    });

    it('answers a token request’s errors in the fragment', async () => {
      const response = await picker({ ...base(), response_type: 'token', scopes: 'teacher', state: 'f' });
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.search).toBe('');
      expect(new URLSearchParams(location.hash.slice(1)).get('error')).toBe('invalid_scope');
    });

    it.each([
      [{ client_id: '' }, 'groups.client_id_missing'],
      [{ client_id: 'nobody' }, 'groups.unknown_client'],
      [{ client_id: 'x'.repeat(300) }, 'groups.unknown_client'],
      [{ redirect_uri: 'https://evil.example/callback' }, 'groups.redirect_uri_unregistered'],
      [{ redirect_uri: '' }, 'groups.redirect_uri_unregistered'],
    ])('refuses %o with an error page, redirecting nowhere', async (change, code) => {
      const response = await picker({ ...base(), scopes: 'military,responder', ...change });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain(code);
    });
  });
});
