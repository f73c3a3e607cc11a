import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/audit/audit-service.ts';
import type { NewApplication } from '../../src/partners/application-service.ts';
import { isAppError } from '../../src/lib/app-error.ts';
import { testEnv } from '../helpers/env.ts';
import { ManageClient } from '../helpers/manage.ts';
import {
  authorize,
  Browser,
  csrfToken,
  registerUser,
  startOidcServer,
  type TestUser,
} from '../helpers/oidc.ts';
import { runVetted } from '../helpers/process.ts';
import type { TestServer } from '../helpers/server.ts';

/** The reason oidc-provider gives on every authorization of a public client with an https loopback URI. */
const LOOPBACK_REASON = 'must not be using 127.0.0.1 as hostname';
const operator: Actor = { type: 'operator' };

/**
 * What creation accepts is what the provider accepts (issue 14, point 5): the provider's own client
 * validation runs at creation and on every edit, from the CLI, the console and the management API.
 */
describe('one validator for applications', () => {
  let server: TestServer;
  let owner: TestUser;
  let user: TestUser;
  let organizationId: string;
  const url = (path: string) => new URL(path, server.config.baseUrl);

  beforeAll(async () => {
    server = await startOidcServer();
    owner = await registerUser(server);
    user = await registerUser(server, { verify: [['military', 'Service Member']] });
    const organization = await server.services.organizations.create(
      { name: 'Validation Co', ownerUserId: owner.id },
      operator,
    );
    organizationId = organization.id;
  });
  afterAll(() => server.stop());

  it('the CLI refuses the public client with an https loopback URI, with the provider reason', async () => {
    const run = await runVetted(
      [
        'apps',
        'create',
        '--public',
        '--name',
        'Loopback',
        '--redirect-uri',
        'https://127.0.0.1:9999/cb',
        '--scopes',
        'military',
      ],
      testEnv(),
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr.replaceAll('\n', ' ')).toContain(LOOPBACK_REASON);
    expect(run.stderr).toContain('invalid_redirect_uri');
  });

  it('the management API refuses it with a field code and the provider reason', async () => {
    const api = await ManageClient.signedIn(server, owner);
    const refused = await api.call('POST', `/organizations/${organizationId}/applications`, {
      name: 'Loopback',
      client_type: 'public',
      redirect_uris: ['https://127.0.0.1:9999/cb'],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('partners.redirect_uri_invalid');
    expect(String(refused.body.message)).toContain(LOOPBACK_REASON);
    const list = await api.call('GET', `/organizations/${organizationId}/applications`);
    expect(list.body.items?.map((item) => item.name)).not.toContain('Loopback');
  });

  it('the console refuses it at the redirect URIs field', async () => {
    const browser = new Browser();
    const signIn = await (await browser.request(url('/account/sign-in'))).text();
    await browser.request(url('/account/sign-in'), {
      form: { _csrf: csrfToken(signIn), email: owner.email, password: owner.password },
    });
    const form = `/developer/orgs/${organizationId}/apps/new`;
    const html = await (await browser.request(url(form))).text();
    const response = await browser.request(url(`/developer/orgs/${organizationId}/apps`), {
      form: {
        _csrf: csrfToken(html),
        name: 'Loopback',
        redirect_uris: 'https://127.0.0.1:9999/cb',
        client_type: 'public',
      },
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(LOOPBACK_REASON);
    // The message sits at the field (its id is the one the summary links to).
    expect(page).toMatch(
      /class="field__error" id="[^"]*redirect_uris[^"]*-error">\s*<span class="visually-hidden">Error: <\/span>[^<]*must not be using 127\.0\.0\.1/,
    );
  });

  const accepted: { label: string; input: Partial<NewApplication> }[] = [
    { label: 'confidential, https', input: { redirectUris: ['https://shop.example/cb'] } },
    { label: 'confidential, https loopback', input: { redirectUris: ['https://127.0.0.1:8443/cb'] } },
    { label: 'confidential, http localhost', input: { redirectUris: ['http://localhost:8080/cb'] } },
    {
      label: 'public, https (a SPA)',
      input: { clientType: 'public', redirectUris: ['https://spa.example/cb'] },
    },
    {
      label: 'public, http loopback',
      input: { clientType: 'public', redirectUris: ['http://127.0.0.1:7000/cb'] },
    },
    {
      label: 'public, custom scheme',
      input: { clientType: 'public', redirectUris: ['com.example.app:/cb'] },
    },
    {
      label: 'confidential, code id_token',
      input: { redirectUris: ['https://shop.example/cb'], responseTypes: ['code', 'code id_token'] },
    },
    {
      label: 'public, custom scheme and code id_token',
      input: {
        clientType: 'public',
        redirectUris: ['com.example.app:/cb'],
        responseTypes: ['code id_token'],
      },
    },
  ];

  for (const { label, input } of accepted) {
    it(`accepts ${label}, and an authorization completes with openid-client`, async () => {
      const { application, clientSecret } = await server.services.applications.create(
        { name: label, scopes: ['military'], mode: 'production', redirectUris: [], ...input },
        operator,
      );
      const redirectUri = application.redirectUris[0] ?? '';
      const hybrid = application.responseTypes.includes('code id_token');
      const config = await client.discovery(
        new URL(`${server.config.baseUrl}/oidc`),
        application.clientId,
        { redirect_uris: [redirectUri], response_types: [hybrid ? 'code id_token' : 'code'] },
        clientSecret === undefined ? client.None() : client.ClientSecretBasic(clientSecret),
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- http on loopback only
        { execute: [client.allowInsecureRequests] },
      );
      if (hybrid) client.useCodeIdTokenResponseType(config);
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const authorizationUrl = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid military',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const journey = await authorize(new Browser(), server, authorizationUrl, { user });
      if (journey.callback === undefined) throw new Error(`no callback: ${journey.status} ${journey.page}`);
      const tokens = await client.authorizationCodeGrant(config, journey.callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      expect(tokens.access_token).toEqual(expect.any(String));
      expect(tokens.claims()?.sub).toBe(user.id);
    });
  }

  const refused: { label: string; input: Partial<NewApplication>; reason: string }[] = [
    {
      label: 'public, https loopback',
      input: { clientType: 'public', redirectUris: ['https://127.0.0.1:9999/cb'] },
      reason: LOOPBACK_REASON,
    },
    {
      label: 'public, https localhost',
      input: { clientType: 'public', redirectUris: ['https://localhost/cb', 'com.example.app:/cb'] },
      reason: 'must not be using localhost as hostname',
    },
    {
      label: 'public in sandbox, plain http on a public host',
      input: { clientType: 'public', mode: 'sandbox', redirectUris: ['http://shop.example/cb'] },
      reason: 'can only use loopback addresses as hostnames',
    },
    {
      label: 'confidential, custom scheme (Vetted’s own rule)',
      input: { redirectUris: ['com.example.app:/cb'] },
      reason: 'custom URI schemes are for public (native) applications',
    },
    {
      label: 'an unknown response type',
      input: { redirectUris: ['https://shop.example/cb'], responseTypes: ['code none'] },
      reason: 'is not supported',
    },
  ];

  for (const { label, input, reason } of refused) {
    it(`refuses ${label} at creation`, async () => {
      const attempt = server.services.applications.create(
        { name: label, scopes: ['military'], mode: 'production', redirectUris: [], ...input },
        operator,
      );
      await expect(attempt).rejects.toSatisfy(
        (error: unknown) => isAppError(error) && error.status === 400 && error.message.includes(reason),
      );
    });
  }

  it('refuses an edit that would break the application, and keeps it working', async () => {
    const { application } = await server.services.applications.create(
      {
        name: 'Native',
        clientType: 'public',
        redirectUris: ['com.example.app:/cb'],
        scopes: ['openid'],
        organizationId,
      },
      operator,
    );
    const api = await ManageClient.signedIn(server, owner);
    const path = `/organizations/${organizationId}/applications/${application.clientId}`;
    const edit = await api.call('PATCH', path, {
      redirect_uris: ['com.example.app:/cb', 'https://127.0.0.1:9999/cb'],
    });
    expect(edit.status).toBe(400);
    expect(edit.body.error).toBe('partners.redirect_uri_invalid');
    expect(String(edit.body.message)).toContain(LOOPBACK_REASON);
    const logout = await api.call('PATCH', path, {
      post_logout_redirect_uris: ['https://localhost/signed-out'],
    });
    expect(logout.status).toBe(400);
    expect(logout.body.error).toBe('partners.post_logout_redirect_uri_invalid');
    expect(String(logout.body.message)).toContain('post_logout_redirect_uris for native clients');
    const stored = await server.services.applications.get(application.clientId);
    expect(stored.redirectUris).toEqual(['com.example.app:/cb']);
    expect(stored.postLogoutRedirectUris).toEqual(['com.example.app:/cb']);
  });
});
