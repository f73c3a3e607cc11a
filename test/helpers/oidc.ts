import { createServer } from 'node:net';
import type { NewApplication } from '../../src/partners/application-service.ts';
import { basicAuth, call, type ApiResponse } from './oidc-api.ts';
import { startTestServer, type TestServer } from './server.ts';

export * from './oidc-api.ts';

/** A free TCP port on loopback (the issuer must name the real port, so it is chosen before start). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

/** The real server in this process, reachable at its configured base URL. */
export async function startOidcServer(
  overrides: Record<string, string | undefined> = {},
  options: Parameters<typeof startTestServer>[1] = {},
): Promise<TestServer> {
  const port = await freePort();
  return startTestServer(
    {
      VETTED_PORT: String(port),
      VETTED_BASE_URL: `http://127.0.0.1:${port}`,
      VETTED_LOG_LEVEL: 'info',
      ...overrides,
    },
    options,
  );
}

export const REDIRECT_URI = 'https://partner.example/callback';

export interface TestApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

let counter = 0;

export async function registerApp(server: TestServer, input: Partial<NewApplication> = {}): Promise<TestApp> {
  const { application, clientSecret } = await server.services.applications.create(
    {
      name: input.name ?? 'Partner Shop',
      redirectUris: input.redirectUris ?? [REDIRECT_URI],
      scopes: input.scopes ?? ['military', 'student'],
      mode: 'production',
      ...input,
    },
    { type: 'operator' },
  );
  return {
    clientId: application.clientId,
    clientSecret: clientSecret ?? '',
    redirectUri: application.redirectUris[0] ?? '',
  };
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

export async function registerUser(
  server: TestServer,
  options: { verify?: [string, string][]; birthDate?: string; zip?: string } = {},
): Promise<TestUser> {
  counter += 1;
  const email = `user${counter}.${Date.now()}@example.com`;
  const password = 'correct horse battery';
  const user = await server.services.accounts.createByOperator({
    email,
    password,
    firstName: 'Sean',
    lastName: 'Moen',
    postalCode: options.zip ?? '44058-1478',
    birthDate: options.birthDate,
  });
  for (const [community, subgroup] of options.verify ?? []) {
    await server.services.verification.attest({
      userId: user.id,
      community,
      subgroups: [subgroup],
      method: 'operator',
    });
  }
  return { id: user.id, email, password };
}

/** A cookie-keeping HTTP client that does not follow redirects, like a browser seen one hop at a time. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  /** The Cookie header this browser would send. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(
    url: string | URL,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'text/html' };
    const cookie = this.cookieHeader();
    if (cookie !== '') headers.Cookie = cookie;
    let body: string | undefined;
    if (init.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (pair === undefined || index < 0) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

export function csrfToken(page: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
}

export function formAction(page: string, endsWith: string): string | undefined {
  return [...page.matchAll(/action="([^"]+)"/g)]
    .map((match) => match[1] ?? '')
    .find((action) => action.endsWith(endsWith));
}

export interface JourneyResult {
  /** The URL the browser was finally sent to outside Vetted (the partner's redirect URI), if any. */
  callback: URL | undefined;
  /** The last page Vetted rendered (an error page, or a form_post page). */
  page: string;
  status: number;
  /** Which Vetted pages were shown, in order: sign-in, consent, … */
  shown: string[];
}

/**
 * Follows an authorization through Vetted's pages: signs in with `user` when asked, goes on without
 * verifying when asked to verify a community (unless `verify: 'stop'`), answers consent with `decision`, and
 * stops at the first redirect leaving Vetted or at a page it does not know how to answer.
 */
export async function authorize(
  browser: Browser,
  server: { config: { baseUrl: string } },
  url: string | URL,
  options: { user?: TestUser; decision?: 'allow' | 'deny'; verify?: 'skip' | 'stop' } = {},
): Promise<JourneyResult> {
  const origin = new URL(server.config.baseUrl).origin;
  const shown: string[] = [];
  let next: { url: URL; form?: Record<string, string> } = { url: new URL(url) };
  for (let hop = 0; hop < 20; hop++) {
    const response = await browser.request(next.url, next.form ? { form: next.form } : {});
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      const target = new URL(location, next.url);
      if (target.origin !== origin) return { callback: target, page: '', status: response.status, shown };
      next = { url: target };
      continue;
    }
    const page = await response.text();
    const login = formAction(page, '/login');
    const consent = formAction(page, '/consent');
    const skipVerify = formAction(page, '/verify/skip');
    if (skipVerify !== undefined && options.verify !== 'stop' && !shown.includes('verify')) {
      shown.push('verify');
      next = { url: new URL(skipVerify, origin), form: { _csrf: csrfToken(page) } };
      continue;
    }
    if (login !== undefined && options.user !== undefined && !shown.includes('sign-in')) {
      shown.push('sign-in');
      next = {
        url: new URL(login, origin),
        form: { _csrf: csrfToken(page), email: options.user.email, password: options.user.password },
      };
      continue;
    }
    if (consent !== undefined && !shown.includes('consent')) {
      shown.push('consent');
      next = {
        url: new URL(consent, origin),
        form: { _csrf: csrfToken(page), decision: options.decision ?? 'allow' },
      };
      continue;
    }
    return { callback: undefined, page, status: response.status, shown };
  }
  throw new Error('too many redirects');
}

/** Parameters of an authorization response, from the query or the fragment. */
export function responseParams(callback: URL | undefined): Record<string, string> {
  if (callback === undefined) return {};
  const source = callback.hash === '' ? callback.search.slice(1) : callback.hash.slice(1);
  return Object.fromEntries(new URLSearchParams(source));
}

export function authorizeUrl(server: { config: { baseUrl: string } }, params: Record<string, string>): URL {
  const url = new URL('/oauth/authorize', server.config.baseUrl);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

export async function tokenRequest(
  server: { config: { baseUrl: string } },
  form: Record<string, string>,
  basic?: { clientId: string; clientSecret: string },
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (basic !== undefined) headers.Authorization = basicAuth(basic.clientId, basic.clientSecret);
  const response = await fetch(new URL('/oauth/token', server.config.baseUrl), {
    method: 'POST',
    headers,
    body: new URLSearchParams(form).toString(),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

/**
 * Walks an authorization of `app` by `user` through Vetted's pages: response_type=code, scope=military and a
 * state unless `params` says otherwise.
 */
export function authorizeApp(
  server: TestServer,
  app: TestApp,
  user: TestUser | undefined,
  params: Record<string, string> = {},
  options: { browser?: Browser; decision?: 'allow' | 'deny' } = {},
): Promise<JourneyResult> {
  return authorize(
    options.browser ?? new Browser(),
    server,
    authorizeUrl(server, {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      scope: 'military',
      state: 'state-1',
      ...params,
    }),
    {
      ...(user === undefined ? {} : { user }),
      ...(options.decision === undefined ? {} : { decision: options.decision }),
    },
  );
}

/** A complete code flow for `user` and `app`: returns the token response. */
export async function codeFlow(
  server: TestServer,
  app: TestApp,
  user: TestUser,
  params: Record<string, string> = {},
  browser = new Browser(),
) {
  const journey = await authorizeApp(server, app, user, params, { browser });
  const code = responseParams(journey.callback).code ?? '';
  const token = await exchangeCode(server, app, code);
  return { journey, code, token };
}

/** One authorization request without a browser session: the response and where it redirects, if it does. */
export async function authorizeDirect(
  server: TestServer,
  params: Record<string, string>,
): Promise<ApiResponse & { location: URL | undefined; params: Record<string, string> }> {
  const response = await call(server, authorizeUrl(server, params), { headers: { Accept: 'text/html' } });
  const header = response.headers.get('location');
  const location = header === null ? undefined : new URL(header, server.config.baseUrl);
  return { ...response, location, params: responseParams(location) };
}

/** Exchanges an authorization code with client_secret_post (or only client_id when the app has no secret). */
export function exchangeCode(
  server: TestServer,
  app: TestApp,
  code: string,
  extra: Record<string, string> = {},
) {
  return tokenRequest(server, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: app.redirectUri,
    client_id: app.clientId,
    ...(app.clientSecret === '' ? {} : { client_secret: app.clientSecret }),
    ...extra,
  });
}
