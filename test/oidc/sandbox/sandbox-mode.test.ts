import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeApp,
  Browser,
  csrfToken,
  formAction,
  registerApp,
  registerUser,
  responseParams,
  startOidcServer,
  type TestApp,
} from '../../helpers/oidc.ts';
import type { TestServer } from '../../helpers/server.ts';

/** SPEC §6: an application in sandbox mode is for its test users only. */
describe('sandbox mode', () => {
  let server: TestServer;
  let app: TestApp;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, { name: 'Sandbox Shop', mode: 'sandbox', scopes: ['military'] });
  });
  afterAll(() => server.stop());

  it('refuses a user who is not a tester with a page that explains, and returns to the partner with access_denied', async () => {
    const user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const browser = new Browser();
    const journey = await authorizeApp(server, app, user, { state: 'sbx' }, { browser });
    expect(journey.callback).toBeUndefined();
    expect(journey.status).toBe(403);
    expect(journey.page).toContain('Sandbox Shop is not open to everyone yet');
    expect(journey.shown).toEqual(['sign-in']);
    const leave = formAction(journey.page, '/sandbox/leave') ?? '';
    let response = await browser.request(new URL(leave, server.config.baseUrl), {
      form: { _csrf: csrfToken(journey.page) },
    });
    while (response.status === 303 || response.status === 302) {
      const location = new URL(response.headers.get('location') ?? '', server.config.baseUrl);
      if (location.origin !== new URL(server.config.baseUrl).origin) {
        expect(responseParams(location)).toMatchObject({ error: 'access_denied', state: 'sbx' });
        return;
      }
      response = await browser.request(location);
    }
    throw new Error(`expected a redirect to the partner, got ${response.status}`);
  });

  it('lets a sandbox test persona through', async () => {
    const persona = await server.services.accounts.ensureTestPersona({
      email: 'military.pass@sandbox.vetted.test',
      password: 'persona password',
      firstName: 'Test',
      lastName: 'Pass',
      persona: 'military:pass',
    });
    const journey = await authorizeApp(server, app, {
      id: persona.id,
      email: persona.email,
      password: 'persona password',
    });
    expect(journey.shown).toEqual(['sign-in', 'verify', 'consent']);
    expect(responseParams(journey.callback).code).toEqual(expect.any(String));
  });
});
