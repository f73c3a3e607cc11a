import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeRequiring, missingProgram } from '../../helpers/requirements.ts';
import type { TestServer } from '../../helpers/server.ts';
import {
  authorize,
  Browser,
  registerApp,
  registerUser,
  startOidcServer,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';
import { PYTHON, runPythonSample, sampleScript } from './python-sample.ts';

/**
 * Seed 003's "Python Web App" sample, literally (idme_sample.py), with Debian's requests-oauthlib, and the
 * same flow with Authlib: a partner that followed ID.me's documentation changes only the base URL.
 */

const missingRequestsOauthlib = missingProgram(
  PYTHON,
  ['-c', 'import requests_oauthlib'],
  "Debian's python3-requests-oauthlib",
);
const missingAuthlib = missingProgram(PYTHON, ['-c', 'import authlib'], "Debian's python3-authlib");

let server: TestServer;
let app: TestApp;

beforeAll(async () => {
  server = await startOidcServer();
  app = await registerApp(server, { name: 'Python Partner' });
});
afterAll(() => server.stop());

function sampleEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    OAUTHLIB_INSECURE_TRANSPORT: '1',
    AUTHLIB_INSECURE_TRANSPORT: '1',
    VETTED_BASE_URL: server.config.baseUrl,
    CLIENT_ID: app.clientId,
    CLIENT_SECRET: app.clientSecret,
    REDIRECT_URI: app.redirectUri,
    ...extra,
  };
}

/** The user at Vetted: signs in, allows, and is sent back to the partner's redirect URI. */
function userAtVetted(user: TestUser, seen: { callback?: URL }) {
  return async (authorizationUrl: string): Promise<string> => {
    const journey = await authorize(new Browser(), server, authorizationUrl, { user });
    expect(journey.shown).toEqual(['sign-in', 'consent']);
    if (journey.callback === undefined) throw new Error(`no callback; Vetted answered ${journey.status}`);
    seen.callback = journey.callback;
    return journey.callback.toString();
  };
}

async function serviceMember(): Promise<TestUser> {
  return registerUser(server, { verify: [['military', 'Service Member']], zip: '22102' });
}

describeRequiring('the seed’s Python sample with requests-oauthlib', missingRequestsOauthlib, () => {
  it('runs literally against the v2 attributes URL: payload["verified"] and payload["affiliation"]', async () => {
    const user = await serviceMember();
    const seen: { callback?: URL } = {};
    const run = await runPythonSample(sampleScript('idme_sample.py'), sampleEnv(), userAtVetted(user, seen));

    const authorizationUrl = new URL(run.start.authorization_url);
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(
      `${server.config.baseUrl}/oauth/authorize`,
    );
    expect(Object.fromEntries(authorizationUrl.searchParams)).toEqual({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      scope: 'military',
      state: run.start.state,
    });
    expect(seen.callback?.searchParams.get('state')).toBe(run.start.state);

    expect(run.result.token).toMatchObject({
      token_type: 'Bearer',
      expires_in: 300,
      refresh_expires_in: 604800,
      scope: ['military'],
    });
    expect(run.result.token_fields).toEqual(expect.arrayContaining(['access_token', 'refresh_token']));
    expect(run.result.status).toBe(200);
    const payload = run.result.payload as Record<string, unknown>;
    expect(payload.verified).toBe(true);
    expect(payload.affiliation).toBe('Service Member');
    expect(payload).toEqual({
      id: user.id,
      uuid: user.id,
      verified: true,
      affiliation: 'Service Member',
      group: 'military',
      email: user.email,
      fname: 'Sean',
      lname: 'Moen',
      zip: '22102',
    });
  });

  it('runs against the v3 attributes URL', async () => {
    const user = await serviceMember();
    const run = await runPythonSample(
      sampleScript('idme_sample.py'),
      sampleEnv({ ATTRIBUTES_PATH: '/api/public/v3/attributes.json' }),
      userAtVetted(user, {}),
    );
    expect(run.result.status).toBe(200);
    expect(run.result.payload).toEqual({
      attributes: [
        { handle: 'fname', name: 'First Name', value: 'Sean' },
        { handle: 'lname', name: 'Last Name', value: 'Moen' },
        { handle: 'email', name: 'Email', value: user.email },
        { handle: 'uuid', name: 'Unique Identifier', value: user.id },
        { handle: 'zip', name: 'Zip Code', value: '22102' },
      ],
      status: [{ group: 'military', subgroups: ['Service Member'], verified: true }],
    });
  });

  it('works with the credentials in the body too (include_client_id=True, client_secret_post)', async () => {
    const user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const run = await runPythonSample(
      sampleScript('idme_sample.py'),
      sampleEnv({ CLIENT_AUTH: 'post' }),
      userAtVetted(user, {}),
    );
    expect(run.result.status).toBe(200);
    expect(run.result.payload).toMatchObject({ id: user.id, verified: true, affiliation: 'Veteran' });
  });
});

describeRequiring('the same flow with Authlib’s OAuth2Session', missingAuthlib, () => {
  it('runs code + PKCE with client_secret_post, reads v3 attributes, and refreshes', async () => {
    const user = await serviceMember();
    const seen: { callback?: URL } = {};
    const run = await runPythonSample(
      sampleScript('authlib_sample.py'),
      sampleEnv(),
      userAtVetted(user, seen),
    );

    const authorizationUrl = new URL(run.start.authorization_url);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(seen.callback?.searchParams.get('state')).toBe(run.start.state);
    expect(run.result.token).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'military' });
    expect(run.result.status).toBe(200);
    const status = [{ group: 'military', subgroups: ['Service Member'], verified: true }];
    expect(run.result.payload).toMatchObject({ status });
    expect(run.result.refreshed).toEqual({
      new_access_token: true,
      scope: 'military',
      status: 200,
      payload: run.result.payload,
    });
  });
});
