import { authorize, Browser } from '../test/helpers/oidc.ts';
import { measure, measureFlows, requestsPerSecond, settings, type FlowRates } from './flows.ts';
import { startFloorServer, startReference, startVetted } from './servers.ts';

const REDIRECT_URI = 'https://partner.example/cb';
/** The targets, as ratios to the bare node:http floor measured in the same run. */
const targets = { attributes_ratio: 0.3, sso_round_trips_ratio: 0.02, refresh_rotation_ratio: 0.06 };

/**
 * Vetted's OIDC throughput, each figure also as a ratio to two baselines measured in the same run: a bare
 * node:http server (the floor, which the targets are stated against) and upstream oidc-provider with
 * minimal glue on SQLite serving the same flows (reference-provider.ts).
 */
export async function benchOidc() {
  const floorServer = await startFloorServer();
  const floor = await requestsPerSecond({ url: floorServer.url });
  await floorServer.stop();

  const vetted = await measureVetted();
  const reference = await measureReference();

  const ratio = (value: number, to: number) => (to === 0 ? 0 : Number((value / to).toFixed(3)));
  const flows = ['attributes_rps', 'code_exchange_per_s', 'refresh_rotation_per_s', 'sso_round_trips_per_s'];
  const perFlow = (prefix: string, base: (name: keyof FlowRates) => number) =>
    Object.fromEntries(
      flows.map((name) => [
        `${name.replace(/_(rps|per_s)$/, '')}_${prefix}`,
        ratio(vetted.flows[name as keyof FlowRates] as number, base(name as keyof FlowRates)),
      ]),
    );
  const toFloor = perFlow('ratio', () => floor.rps);
  const results = {
    scenario: 'oidc',
    ...settings,
    floor_rps: Math.round(floor.rps),
    stack_ceiling_healthz_rps: vetted.healthz,
    stack_ceiling_ratio: ratio(vetted.healthz, floor.rps),
    discovery_rps: vetted.discovery,
    discovery_ratio: ratio(vetted.discovery, floor.rps),
    ...vetted.flows,
    ...toFloor,
    reference: { ...reference, errors: undefined, failed_flow_steps: undefined },
    ...perFlow('to_reference', (name) => reference[name] as number),
    errors: vetted.flows.errors + reference.errors,
    failed_flow_steps: vetted.flows.failed_flow_steps,
    reference_failed_flow_steps: reference.failed_flow_steps,
    targets,
  };
  const failed =
    [...Object.values(vetted.flows.failed_flow_steps), ...Object.values(reference.failed_flow_steps)].some(
      (count) => count > 0,
    ) || results.errors > 0;
  return {
    ...results,
    pass:
      !failed &&
      (toFloor.attributes_ratio ?? 0) >= targets.attributes_ratio &&
      (toFloor.sso_round_trips_ratio ?? 0) >= targets.sso_round_trips_ratio &&
      (toFloor.refresh_rotation_ratio ?? 0) >= targets.refresh_rotation_ratio,
  };
}

async function measureVetted() {
  const server = await startVetted();
  try {
    const app = JSON.parse(
      await server.vetted([
        'apps',
        'create',
        '--name',
        'Bench',
        '--redirect-uri',
        REDIRECT_URI,
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
    // Sign in and consent once, as a browser would; the load then reuses the session and the grant.
    const browser = new Browser();
    const authorizeUrl = `${server.url}/oauth/authorize?${new URLSearchParams({
      client_id: app.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'military',
      state: 'bench',
    }).toString()}`;
    await authorize(browser, { config: { baseUrl: server.url } }, authorizeUrl, {
      user: { id: '', ...user },
    });

    // The ceiling of anything answered through Vetted's HTTP stack (request id, logs, metrics, security
    // headers, router): a health check does no work of its own.
    const healthz = await measure('healthz', { url: `${server.url}/healthz` });
    const discovery = await measure('discovery', {
      url: `${server.url}/oidc/.well-known/openid-configuration`,
    });
    const flows = await measureFlows({
      url: server.url,
      clientId: app.client_id,
      clientSecret: app.client_secret,
      redirectUri: REDIRECT_URI,
      scope: 'military',
      cookie: browser.cookieHeader(),
      attributesPath: '/api/public/v3/attributes.json',
    });
    return {
      healthz: Math.round(healthz.rps),
      discovery: Math.round(discovery.rps),
      flows: { ...flows, errors: flows.errors + discovery.errors + discovery.non2xx },
    };
  } finally {
    await server.stop();
  }
}

async function measureReference(): Promise<FlowRates> {
  const reference = await startReference();
  try {
    return await measureFlows({
      url: reference.url,
      clientId: reference.clientId,
      clientSecret: reference.clientSecret,
      redirectUri: REDIRECT_URI,
      scope: 'military',
      cookie: reference.cookie,
      attributesPath: '/attributes',
    });
  } finally {
    await reference.stop();
  }
}
