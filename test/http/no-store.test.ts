import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  Browser,
  csrfToken,
  formAction,
  registerApp,
  registerUser,
  startOidcServer,
  type TestApp,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/**
 * Pages of the sign-in and pages that show personal data or secrets must never be kept by a browser's or a
 * proxy's cache (the back button on a shared computer, a caching proxy): every HTML page is `no-store`.
 */
describe('Cache-Control on HTML pages', () => {
  let server: TestServer;
  let app: TestApp;
  let user: TestUser;
  const url = (path: string) => new URL(path, server.config.baseUrl);

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server);
    user = await registerUser(server, { verify: [['military', 'Veteran']] });
  });
  afterAll(() => server.stop());

  function expectNoStore(response: Response, what: string): void {
    expect(response.headers.get('content-type'), what).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control'), what).toBe('no-store');
  }

  it('sends no-store on every page of a sign-in, the consent page included', async () => {
    const browser = new Browser();
    const origin = new URL(server.config.baseUrl).origin;
    const shown: string[] = [];
    let next: { url: URL; form?: Record<string, string> } = {
      url: authorizeUrl(server, {
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: 'code',
        scope: 'openid military',
        state: 'state-1',
      }),
    };
    for (let hop = 0; hop < 20; hop += 1) {
      const response = await browser.request(next.url, next.form ? { form: next.form } : {});
      const location = response.headers.get('location');
      if (location !== null) {
        const target = new URL(location, next.url);
        if (target.origin !== origin) break;
        next = { url: target };
        continue;
      }
      expectNoStore(response, `${next.url.pathname} (${shown.join(', ')})`);
      const page = await response.text();
      const login = formAction(page, '/login');
      const consent = formAction(page, '/consent');
      if (login !== undefined && !shown.includes('sign-in')) {
        shown.push('sign-in');
        next = {
          url: new URL(login, origin),
          form: { _csrf: csrfToken(page), email: user.email, password: user.password },
        };
      } else if (consent !== undefined && !shown.includes('consent')) {
        shown.push('consent');
        next = { url: new URL(consent, origin), form: { _csrf: csrfToken(page), decision: 'allow' } };
      } else {
        throw new Error(`unexpected page at ${next.url.pathname}`);
      }
    }
    expect(shown).toEqual(['sign-in', 'consent']);
  });

  it('sends no-store on account pages, the consoles and error pages', async () => {
    const browser = new Browser();
    const form = await browser.request(url('/account/sign-in'));
    expectNoStore(form, '/account/sign-in');
    await browser.request(url('/account/sign-in'), {
      form: { _csrf: csrfToken(await form.text()), email: user.email, password: user.password },
    });
    for (const path of [
      '/account',
      '/account/verifications',
      '/account/connected-apps',
      '/developer',
      '/account/sign-up',
      '/no-such-page',
    ]) {
      const response = await browser.request(url(path));
      if (response.status >= 300 && response.status < 400) continue;
      expectNoStore(response, path);
    }
    // The same without a session (an error page for a sign-in that does not exist).
    expectNoStore(await new Browser().request(url('/interaction/not-a-uid')), '/interaction/not-a-uid');
  });
});
