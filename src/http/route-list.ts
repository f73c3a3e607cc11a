import type { Router } from '@koa/router';

/** One route the application's router serves: its pattern (`/developer/apps/:clientId`) and methods. */
export interface RouteEntry {
  path: string;
  methods: string[];
}

const routers = new WeakMap<object, Router>();

/** Called by createApp with its router, so that tools (the fuzz suite) can list what the app serves. */
export function rememberRoutes(app: object, router: Router): void {
  routers.set(app, router);
}

/** Every route of an app made by createApp (oidc-provider's endpoints are not in the router: see discovery). */
export function listRoutes(app: object): RouteEntry[] {
  const router = routers.get(app);
  if (router === undefined) throw new Error('not an app made by createApp');
  return router.stack
    .filter((layer) => layer.methods.length > 0)
    .map((layer) => ({ path: String(layer.path), methods: [...layer.methods] }));
}
