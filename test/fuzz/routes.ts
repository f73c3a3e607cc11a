import { createApp } from '../../src/app.ts';
import { listRoutes, type RouteEntry } from '../../src/http/route-list.ts';
import type { Services } from '../../src/services.ts';

/**
 * Every route to fuzz: the router's (from the app createApp builds, so a new route is covered without
 * editing the suite; the management API is mounted on the same router) and oidc-provider's endpoints, read
 * from the running server's discovery document.
 */
export async function routesToFuzz(services: Services, baseUrl: string): Promise<RouteEntry[]> {
  const routes = listRoutes(createApp(services)).map((route) => ({
    path: route.path,
    methods: route.methods.filter((method) => method !== 'HEAD'),
  }));
  const discoveryPath = '/.well-known/openid-configuration';
  const response = await fetch(new URL(discoveryPath, baseUrl));
  if (response.status !== 200) throw new Error(`discovery answered ${response.status}`);
  const discovery = (await response.json()) as Record<string, unknown>;
  const provider = [discoveryPath, '/oidc/.well-known/openid-configuration'];
  for (const [name, value] of Object.entries(discovery)) {
    if (typeof value !== 'string' || !(name.endsWith('_endpoint') || name === 'jwks_uri')) continue;
    const url = new URL(value);
    if (url.origin === new URL(baseUrl).origin) provider.push(url.pathname);
  }
  // The interaction resume path (oidc-provider mounts it under the authorization endpoint).
  provider.push('/oauth/authorize/:uid');
  const known = new Set(routes.map((route) => route.path));
  for (const path of new Set(provider)) if (!known.has(path)) routes.push({ path, methods: ['GET', 'POST'] });
  // Routes that end the fixtures' session run last, so every other route is fuzzed with a live one.
  const ending = (route: RouteEntry) => /sign-out|logout/.test(route.path);
  return [...routes.filter((route) => !ending(route)), ...routes.filter(ending)];
}

export function routeKey(route: RouteEntry): string {
  return `${route.methods.join(',')} ${route.path}`;
}

/** A per-route seed from the run's seed, so that a route's cases do not depend on which routes precede it. */
export function routeSeed(seed: number, route: RouteEntry): number {
  let hash = seed | 0;
  for (const char of routeKey(route)) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}
