import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  authorizeApp,
  authorizeDirect,
  codeFlow,
  exchangeCode,
  registerApp,
  registerUser,
  responseParams,
  startOidcServer,
  tokenRequest,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

describe('a suspended application (unauthorized_client)', () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startOidcServer();
    user = await registerUser(server, { verify: [['military', 'Retiree']] });
  });
  afterAll(() => server.stop());

  const suspend = (app: TestApp) =>
    server.services.applications.setStatus(app.clientId, 'suspended', { type: 'operator' });
  const reactivate = (app: TestApp) =>
    server.services.applications.setStatus(app.clientId, 'active', { type: 'operator' });

  it('is refused at the authorization endpoint with unauthorized_client on its redirect URI', async () => {
    const app = await registerApp(server);
    await suspend(app);
    const response = await authorizeDirect(server, {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      scope: 'military',
      state: 'st',
    });
    expect(response.status).toBe(303);
    expect(response.params).toMatchObject({ error: 'unauthorized_client', state: 'st' });
    expect(response.params.error_description).toContain('suspended');
  });

  it('cannot exchange a code issued before the suspension', async () => {
    const app = await registerApp(server);
    const journey = await authorizeApp(server, app, user);
    const code = responseParams(journey.callback).code ?? '';
    await suspend(app);
    const token = await exchangeCode(server, app, code);
    expect(token.status).toBe(400);
    expect(token.body.error).toBe('unauthorized_client');
  });

  it('cannot refresh, and its access tokens stop working, until it is active again', async () => {
    const app = await registerApp(server);
    const { token } = await codeFlow(server, app, user);
    const accessToken = String(token.body.access_token);
    await suspend(app);
    const refused = await attributes(server, accessToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const refresh = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: String(token.body.refresh_token),
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).toBe('unauthorized_client');
    await reactivate(app);
    expect((await attributes(server, accessToken)).status).toBe(200);
  });

  it('records the change in the audit log and refuses an unknown application', async () => {
    const app = await registerApp(server);
    await suspend(app);
    expect((await server.services.applications.findByClientId(app.clientId))?.status).toBe('suspended');
    await expect(
      server.services.applications.setStatus('no-such-client', 'suspended', { type: 'operator' }),
    ).rejects.toMatchObject({ code: 'partners.application_not_found', status: 404 });
    const events = await server.services.audit.list({ subjectId: app.clientId });
    expect(events.map((event) => event.event)).toContain('application.status_changed');
  });
});
