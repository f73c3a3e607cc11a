import autocannon, { type Request } from 'autocannon';

export const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** BENCH_ONLY=sso,refresh runs only those load scenarios (the setup and the floor always run). */
const only = process.env.BENCH_ONLY?.split(',');
export const wanted = (name: string) => only === undefined || only.includes(name);
export const settings = { seconds_each: DURATION_SECONDS, connections: CONNECTIONS };

export interface Load {
  url: string;
  requests?: Request[];
  headers?: Record<string, string>;
}

export interface Rate {
  rps: number;
  errors: number;
  non2xx: number;
}

export async function requestsPerSecond(load: Load): Promise<Rate> {
  const result = await autocannon({
    url: load.url,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    ...(load.headers === undefined ? {} : { headers: load.headers }),
    ...(load.requests === undefined ? {} : { requests: load.requests }),
  });
  return { rps: result.requests.average, errors: result.errors, non2xx: result.non2xx };
}

export function measure(name: string, load: Load): Promise<Rate> {
  return wanted(name) ? requestsPerSecond(load) : Promise.resolve({ rps: 0, errors: 0, non2xx: 0 });
}

/** An OAuth server with a signed-in user who already consented to a confidential client. */
export interface FlowTarget {
  url: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scope: string;
  /** The Cookie header of the user's browser. */
  cookie: string;
  attributesPath: string;
}

export interface FlowRates {
  attributes_rps: number;
  code_exchange_per_s: number;
  refresh_rotation_per_s: number;
  sso_round_trips_per_s: number;
  errors: number;
  failed_flow_steps: Record<'authorize' | 'token' | 'refresh' | 'attributes', number>;
}

type Context = { code?: string; accessToken?: string; refreshToken?: string };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * Attributes with a valid token, code → token exchange, refresh (with rotation) and a full SSO round trip
 * (authorize with the session and grant → token → attributes), in flows or requests per second. Every
 * step's answer is checked: a benchmark of failing requests would measure nothing.
 */
export async function measureFlows(target: FlowTarget): Promise<FlowRates> {
  const authorizePath = `/oauth/authorize?${new URLSearchParams({
    client_id: target.clientId,
    redirect_uri: target.redirectUri,
    response_type: 'code',
    scope: target.scope,
    state: 'bench',
  }).toString()}`;
  const tokenBody = (grant: Record<string, string>) =>
    new URLSearchParams({
      ...grant,
      client_id: target.clientId,
      client_secret: target.clientSecret,
    }).toString();
  const codeGrant = (code: string) =>
    tokenBody({ grant_type: 'authorization_code', code, redirect_uri: target.redirectUri });
  const failures = { authorize: 0, token: 0, refresh: 0, attributes: 0 };

  const authorizeStep: Request = {
    method: 'GET',
    path: authorizePath,
    headers: { cookie: target.cookie },
    onResponse: (status, _body, context: Context, headers) => {
      // autocannon passes raw header names (`Location`).
      const raw = Object.entries((headers ?? {}) as Record<string, string>);
      const location = raw.find(([name]) => name.toLowerCase() === 'location')?.[1] ?? '';
      context.code = new URL(location, target.url).searchParams.get('code') ?? '';
      if ((status !== 302 && status !== 303) || context.code === '') failures.authorize++;
    },
  };
  const tokenStep: Request = {
    method: 'POST',
    path: '/oauth/token',
    headers: form,
    setupRequest: (request, context: Context) => ({ ...request, body: codeGrant(context.code ?? '') }),
    onResponse: (status, body, context: Context) => {
      const token = JSON.parse(body) as { access_token?: string; refresh_token?: string };
      context.accessToken = token.access_token;
      context.refreshToken = token.refresh_token;
      if (status !== 200) failures.token++;
    },
  };
  const attributesStep: Request = {
    method: 'GET',
    path: target.attributesPath,
    setupRequest: (request, context: Context) => ({
      ...request,
      headers: { authorization: `Bearer ${context.accessToken ?? ''}` },
    }),
    onResponse: (status) => {
      if (status !== 200) failures.attributes++;
    },
  };
  const refreshStep: Request = {
    method: 'POST',
    path: '/oauth/token',
    headers: form,
    setupRequest: (request, context: Context) => ({
      ...request,
      body: tokenBody({ grant_type: 'refresh_token', refresh_token: context.refreshToken ?? '' }),
    }),
    onResponse: (status, body, context: Context) => {
      if (status !== 200) failures.refresh++;
      context.refreshToken =
        (JSON.parse(body) as { refresh_token?: string }).refresh_token ?? context.refreshToken;
    },
  };

  const accessToken = await firstAccessToken(target, authorizePath, codeGrant);
  const attributes = await measure('attributes', {
    url: `${target.url}${target.attributesPath}`,
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const sso = await measure('sso', { url: target.url, requests: [authorizeStep, tokenStep, attributesStep] });
  const codeExchange = await measure('code_exchange', {
    url: target.url,
    requests: [authorizeStep, tokenStep],
  });
  // Each connection gets its own refresh-token chain: one code flow, then refreshes that rotate the token.
  const refreshes = 48;
  const refresh = await measure('refresh', {
    url: target.url,
    requests: [
      { ...authorizeStep },
      { ...tokenStep },
      ...Array.from({ length: refreshes }, () => refreshStep),
    ],
  });
  return {
    attributes_rps: Math.round(attributes.rps),
    // An exchange is 2 requests (authorize for a code, then the exchange), an SSO round trip 3.
    code_exchange_per_s: Math.round(codeExchange.rps / 2),
    refresh_rotation_per_s: Math.round((refresh.rps * refreshes) / (refreshes + 2)),
    sso_round_trips_per_s: Math.round(sso.rps / 3),
    errors: attributes.errors + sso.errors + codeExchange.errors + refresh.errors + attributes.non2xx,
    failed_flow_steps: failures,
  };
}

async function firstAccessToken(
  target: FlowTarget,
  authorizePath: string,
  codeGrant: (code: string) => string,
): Promise<string> {
  const authorized = await fetch(`${target.url}${authorizePath}`, {
    headers: { cookie: target.cookie },
    redirect: 'manual',
  });
  const code = new URL(authorized.headers.get('location') ?? '', target.url).searchParams.get('code') ?? '';
  const response = await fetch(`${target.url}/oauth/token`, {
    method: 'POST',
    headers: form,
    body: codeGrant(code),
  });
  const token = (await response.json()) as { access_token?: string };
  if (token.access_token === undefined) throw new Error(`no access token from ${target.url}`);
  return token.access_token;
}
