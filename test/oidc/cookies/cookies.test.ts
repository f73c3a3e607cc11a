import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeUrl, freePort, registerApp, startOidcServer, type TestApp } from '../../helpers/oidc.ts';
import type { TestServer } from '../../helpers/server.ts';

async function authorizationCookies(server: TestServer, app: TestApp, headers: Record<string, string> = {}) {
  const url = authorizeUrl(server, {
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: 'code',
    scope: 'military',
  });
  // Sent to the loopback address the server listens on, whatever its public URL says.
  const local = new URL(`${url.pathname}${url.search}`, server.url);
  const response = await fetch(local, { headers, redirect: 'manual' });
  expect(response.status).toBe(303);
  return response.headers.getSetCookie().filter((cookie) => cookie.startsWith('vetted_'));
}

describe('session cookies', () => {
  let plain: TestServer;
  let behindTls: TestServer;

  beforeAll(async () => {
    plain = await startOidcServer();
    const port = await freePort();
    behindTls = await startOidcServer({
      VETTED_PORT: String(port),
      VETTED_BASE_URL: 'https://id.example.com',
      VETTED_TRUST_PROXY: 'true',
    });
  });
  afterAll(async () => {
    await plain.stop();
    await behindTls.stop();
  });

  it('are HttpOnly and SameSite=Lax, and not Secure on a plain-http development URL', async () => {
    const cookies = await authorizationCookies(plain, await registerApp(plain));
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie.toLowerCase()).toContain('httponly');
      expect(cookie.toLowerCase()).toContain('samesite=lax');
      expect(cookie.toLowerCase()).not.toMatch(/;\s*secure(;|$)/);
    }
  });

  it('are Secure when the public URL is https (TLS ending at a trusted proxy)', async () => {
    const cookies = await authorizationCookies(behindTls, await registerApp(behindTls), {
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Host': 'id.example.com',
    });
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie.toLowerCase()).toContain('httponly');
      expect(cookie.toLowerCase()).toContain('samesite=lax');
      expect(cookie.toLowerCase()).toMatch(/;\s*secure(;|$)/);
    }
  });
});
