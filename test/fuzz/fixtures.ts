import { ACCOUNT_COOKIE } from '../../src/account/session.ts';
import { csrfCookieName } from '../../src/http/csrf.ts';
import { apiKeyScopes } from '../../src/partners/api-keys.ts';
import { imageUpload, passbackApp, verifiedDocument, documentTokens } from '../documents/support.ts';
import {
  authorize,
  authorizeUrl,
  Browser,
  csrfToken,
  exchangeCode,
  registerUser,
  responseParams,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';
import type { FuzzServer } from './fuzz-server.ts';

/** What a case may carry: real credentials made once per run against the real server, as a browser would. */
export interface Fixtures {
  /** Cookie header of a signed-in account (staff admin, owner of an organization), with its CSRF cookie. */
  sessionCookies: string;
  sessionCsrf: string;
  /** Cookie header of a browser in a sign-in started by GET /oauth/authorize, with its CSRF cookie. */
  interactionCookies: string;
  interactionCsrf: string;
  interactionUid: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  accessToken: string;
  apiToken: string;
  manageApiKey: string;
  documentToken: string;
  invitationToken: string;
  /** Real ids by the route parameter names that take them. */
  ids: Record<string, string[]>;
  /** Every secret value above (not the interaction cookie: it is the uid, which paths carry): never logged. */
  secrets: string[];
}

function cookieValue(header: string, name: string): string {
  return (
    header
      .split('; ')
      .find((pair) => pair.startsWith(`${name}=`))
      ?.slice(name.length + 1) ?? ''
  );
}

export async function makeFixtures(server: FuzzServer): Promise<Fixtures> {
  const { services } = server;
  const operator = { type: 'operator' } as const;
  // The seeding helpers only use `config` and `services`; the requests they make go to the child process.
  const seed = { config: server.config, services } as unknown as TestServer;
  const admin = await registerUser(seed);
  await services.roles.grant(admin.id, 'admin', operator);
  const member = await registerUser(seed);
  const organization = await services.organizations.create(
    { name: 'Fuzz Org', ownerUserId: admin.id },
    operator,
  );
  const { application, clientSecret } = await services.applications.create(
    {
      name: 'Fuzz Shop',
      organizationId: organization.id,
      redirectUris: ['https://partner.example/callback'],
      scopes: ['openid', 'military', 'student'],
      mode: 'production',
    },
    operator,
  );
  const { key: manageApiKey, apiKey } = await services.apiKeys.create(
    organization.id,
    { name: 'fuzz', scopes: apiKeyScopes },
    { type: 'user', id: admin.id },
  );
  const invitation = await services.organizations.invite(
    organization.id,
    'invitee@fuzz.example',
    'developer',
    { type: 'user', id: admin.id },
  );
  const [mail] = await services.outbox.listRecent(1);
  const invitationToken = /\/developer\/invitations\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';

  // A partner with document passback, a verified user, and the tokens the partner gets over the real flow.
  const partner = await passbackApp(seed);
  const verified = await verifiedDocument(seed, member.id, { front: await imageUpload(640, 400) });
  const journey = await authorize(
    new Browser(),
    seed,
    authorizeUrl(seed, {
      client_id: partner.app.clientId,
      redirect_uri: partner.app.redirectUri,
      response_type: 'code',
      scope: 'openid military',
      state: 'fuzz',
    }),
    { user: member },
  );
  const token = await exchangeCode(seed, partner.app, responseParams(journey.callback).code ?? '');
  const accessToken = typeof token.body.access_token === 'string' ? token.body.access_token : '';
  const documentToken = (await documentTokens(seed, accessToken))?.value.front ?? '';

  const account = new Browser();
  const signInPage = await (await account.request(new URL('/account/sign-in', server.url))).text();
  const signedIn = await account.request(new URL('/account/sign-in', server.url), {
    form: { _csrf: csrfToken(signInPage), email: admin.email, password: admin.password },
  });
  if (signedIn.status !== 303) throw new Error(`fixture sign-in answered ${signedIn.status}`);
  const sessionPage = await (await account.request(new URL('/developer', server.url))).text();

  const interaction = new Browser();
  let next = authorizeUrl(seed, {
    client_id: application.clientId,
    redirect_uri: 'https://partner.example/callback',
    response_type: 'code',
    scope: 'openid military',
    state: 'fuzz',
  });
  let page = '';
  for (let hop = 0; hop < 5; hop++) {
    const response = await interaction.request(next);
    const location = response.headers.get('location');
    if (location === null) {
      page = await response.text();
      break;
    }
    next = new URL(location, next);
  }
  const interactionUid = /\/interaction\/([\w-]+)/.exec(next.pathname)?.[1] ?? '';
  if (interactionUid === '' || csrfToken(page) === '')
    throw new Error('no interaction page for the fixtures');

  const fixtures: Omit<Fixtures, 'secrets'> = {
    sessionCookies: account.cookieHeader(),
    sessionCsrf: csrfToken(sessionPage),
    interactionCookies: interaction.cookieHeader(),
    interactionCsrf: csrfToken(page),
    interactionUid,
    clientId: application.clientId,
    clientSecret: clientSecret ?? '',
    redirectUri: 'https://partner.example/callback',
    accessToken,
    apiToken: partner.apiToken,
    manageApiKey,
    documentToken,
    invitationToken,
    ids: {
      uid: [interactionUid],
      clientId: [application.clientId, partner.app.clientId],
      orgId: [organization.id],
      organizationId: [organization.id],
      id: [member.id, verified.verification.id, organization.id],
      userId: [member.id],
      apiKeyId: [apiKey.id],
      invitationId: [invitation.id],
      token: [invitationToken],
      document_token: [documentToken],
      documentId: [verified.documents[0]?.id ?? ''],
      handle: ['military', 'student'],
      file: ['logo.png', 'vetted.svg'],
      name: ['vetted.css'],
    },
  };
  for (const [name, value] of Object.entries(fixtures))
    if (value === '') throw new Error(`fixture ${name} is empty`);
  const secrets = [
    cookieValue(fixtures.sessionCookies, ACCOUNT_COOKIE),
    cookieValue(fixtures.sessionCookies, csrfCookieName),
    cookieValue(fixtures.interactionCookies, csrfCookieName),
    fixtures.sessionCsrf,
    fixtures.interactionCsrf,
    fixtures.clientSecret,
    fixtures.accessToken,
    fixtures.apiToken,
    fixtures.manageApiKey,
    fixtures.documentToken,
    fixtures.invitationToken,
  ];
  if (secrets.some((secret) => secret.length < 16)) throw new Error('a fixture secret is missing or short');
  return { ...fixtures, secrets };
}
