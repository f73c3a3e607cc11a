import autocannon, { type Request } from 'autocannon';
import { authorize, Browser, responseParams } from '../test/helpers/oidc.ts';
import { startFloorServer, startVetted } from './servers.ts';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** BENCH_ONLY=sso,refresh runs only those load scenarios (the setup and the floor always run). */
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (name: string) => only === undefined || only.includes(name);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Load {
  url: string;
  requests?: Request[];
  headers?: Record<string, string>;
}

async function requestsPerSecond(load: Load): Promise<{ rps: number; errors: number; non2xx: number }> {
  const result = await autocannon({
    url: load.url,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    ...(load.headers === undefined ? {} : { headers: load.headers }),
    ...(load.requests === undefined ? {} : { requests: load.requests }),
  });
  return { rps: result.requests.average, errors: result.errors, non2xx: result.non2xx };
}

function measure(name: string, load: Load) {
  return wanted(name) ? requestsPerSecond(load) : Promise.resolve({ rps: 0, errors: 0, non2xx: 0 });
}

/**
 * Discovery, attributes, code → token, refresh (with rotation) and a full SSO round trip (authorize with a
 * session and a remembered grant → token → attributes), each as requests (or flows) per second and as a
 * ratio to a bare node:http server measured in the same run.
 */
export async function benchOidc() {
  const floorServer = await startFloorServer();
  const floor = await requestsPerSecond({ url: floorServer.url });
  await floorServer.stop();

  const server = await startVetted();
  try {
    const app = JSON.parse(
      await server.vetted([
        'apps',
        'create',
        '--name',
        'Bench',
        '--redirect-uri',
        'https://partner.example/cb',
        '--scopes',
        'military',
        '--json',
      ]),
    ) as { client_id: string; client_secret: string };
    const user = { email: 'bench@example.com', password: 'correct horse battery' };
    await server.vetted([
      'users',
      'create',
      '--email',
      user.email,
      '--password',
      user.password,
      '--first-name',
      'B',
      '--last-name',
      'E',
      '--verify',
      'military:Veteran',
    ]);
    const authorizePath = `/oauth/authorize?${new URLSearchParams({
      client_id: app.client_id,
      redirect_uri: 'https://partner.example/cb',
      response_type: 'code',
      scope: 'military',
      state: 'bench',
    }).toString()}`;
    const browser = new Browser();
    const first = await authorize(
      browser,
      { config: { baseUrl: server.url } },
      `${server.url}${authorizePath}`,
      { user: { id: '', ...user } },
    );
    const tokenBody = (code: string) =>
      new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://partner.example/cb',
        client_id: app.client_id,
        client_secret: app.client_secret,
      }).toString();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const firstToken = (await (
      await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: form,
        body: tokenBody(responseParams(first.callback).code ?? ''),
      })
    ).json()) as { access_token: string };
    const cookie = browser.cookieHeader();

    // The ceiling of anything answered through Vetted's HTTP stack (request id, logs, metrics, security
    // headers, router): a health check does no work of its own.
    const healthz = await measure('healthz', { url: `${server.url}/healthz` });
    const discovery = await measure('discovery', {
      url: `${server.url}/oidc/.well-known/openid-configuration`,
    });
    const attributes = await measure('attributes', {
      url: `${server.url}/api/public/v3/attributes.json`,
      headers: { authorization: `Bearer ${firstToken.access_token}` },
    });

    type Context = { code?: string; accessToken?: string; refreshToken?: string };
    // Every step's answer is checked: a benchmark of failing requests would measure nothing.
    const failures = { authorize: 0, token: 0, refresh: 0, attributes: 0 };
    const authorizeStep: Request = {
      method: 'GET',
      path: authorizePath,
      headers: { cookie },
      onResponse: (status, _body, context: Context, headers) => {
        // autocannon passes raw header names (`Location`).
        const raw = Object.entries((headers ?? {}) as Record<string, string>);
        const location = raw.find(([name]) => name.toLowerCase() === 'location')?.[1] ?? '';
        context.code = new URL(location, server.url).searchParams.get('code') ?? '';
        if (status !== 303 || context.code === '') failures.authorize++;
      },
    };
    const tokenStep: Request = {
      method: 'POST',
      path: '/oauth/token',
      headers: form,
      setupRequest: (request, context: Context) => ({ ...request, body: tokenBody(context.code ?? '') }),
      onResponse: (status, body, context: Context) => {
        const token = JSON.parse(body) as { access_token?: string; refresh_token?: string };
        context.accessToken = token.access_token;
        context.refreshToken = token.refresh_token;
        if (status !== 200) failures.token++;
      },
    };
    const attributesStep: Request = {
      method: 'GET',
      path: '/api/public/v3/attributes.json',
      setupRequest: (request, context: Context) => ({
        ...request,
        headers: { authorization: `Bearer ${context.accessToken ?? ''}` },
      }),
      onResponse: (status) => {
        if (status !== 200) failures.attributes++;
      },
    };
    const sso = await measure('sso', {
      url: server.url,
      requests: [authorizeStep, tokenStep, attributesStep],
    });
    const codeExchange = await measure('code_exchange', {
      url: server.url,
      requests: [authorizeStep, tokenStep],
    });
    const refreshStep: Request = {
      method: 'POST',
      path: '/oauth/token',
      headers: form,
      setupRequest: (request, context: Context) => ({
        ...request,
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: context.refreshToken ?? '',
          client_id: app.client_id,
          client_secret: app.client_secret,
        }).toString(),
      }),
      onResponse: (status, body, context: Context) => {
        if (status !== 200) failures.refresh++;
        context.refreshToken =
          (JSON.parse(body) as { refresh_token?: string }).refresh_token ?? context.refreshToken;
      },
    };
    // Each connection gets its own refresh-token chain: one code flow, then refreshes that rotate the token.
    const refresh = await measure('refresh', {
      url: server.url,
      requests: [{ ...authorizeStep }, { ...tokenStep }, ...Array.from({ length: 48 }, () => refreshStep)],
    });

    const ratio = (value: number) => Number((value / floor.rps).toFixed(3));
    // Flows/s: an SSO round trip is 3 requests, a code exchange 2 (authorize to get a code, then the exchange).
    const ssoFlows = sso.rps / 3;
    const exchanges = codeExchange.rps / 2;
    const refreshes = (refresh.rps * 48) / 50;
    const results = {
      scenario: 'oidc',
      seconds_each: DURATION_SECONDS,
      connections: CONNECTIONS,
      floor_rps: Math.round(floor.rps),
      stack_ceiling_healthz_rps: Math.round(healthz.rps),
      stack_ceiling_ratio: ratio(healthz.rps),
      discovery_rps: Math.round(discovery.rps),
      discovery_ratio: ratio(discovery.rps),
      attributes_rps: Math.round(attributes.rps),
      attributes_ratio: ratio(attributes.rps),
      code_exchange_per_s: Math.round(exchanges),
      code_exchange_ratio: ratio(exchanges),
      refresh_rotation_per_s: Math.round(refreshes),
      refresh_rotation_ratio: ratio(refreshes),
      sso_round_trips_per_s: Math.round(ssoFlows),
      sso_round_trip_ratio: ratio(ssoFlows),
      errors: discovery.errors + attributes.errors + sso.errors + codeExchange.errors + refresh.errors,
      non_2xx_or_3xx: attributes.non2xx + discovery.non2xx,
      failed_flow_steps: failures,
      targets: { attributes_ratio: 0.3, sso_round_trip_ratio: 0.02, refresh_rotation_ratio: 0.06 },
    };
    const failed = Object.values(failures).some((count) => count > 0) || results.errors > 0;
    return {
      ...results,
      pass:
        !failed &&
        results.attributes_ratio >= 0.3 &&
        results.sso_round_trip_ratio >= 0.02 &&
        results.refresh_rotation_ratio >= 0.06,
    };
  } finally {
    await server.stop();
  }
}
