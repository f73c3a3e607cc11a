import { Router } from '@koa/router';
import Koa from 'koa';
import { accessLog } from './http/access-log.ts';
import { errorHandler } from './http/error-handler.ts';
import { createHttpMetrics } from './http/metrics.ts';
import { requestId } from './http/request-id.ts';
import { healthRoutes } from './http/routes/health.ts';
import { jwksRoutes } from './http/routes/jwks.ts';
import { securityHeaders } from './http/security-headers.ts';
import type { AppState } from './http/state.ts';
import type { Services } from './services.ts';

/** The HTTP application: composition only, no I/O of its own, so tests can mount it on any port. */
export function createApp(services: Services): Koa<AppState> {
  const { config, logger, ids, health } = services;
  const app = new Koa<AppState>({ proxy: config.trustProxy });
  // Errors are answered and logged by errorHandler; Koa's own printer would only duplicate them.
  app.silent = true;
  const metrics = createHttpMetrics();

  const router = new Router();
  healthRoutes(router, { readiness: health, metrics, metricsToken: config.metricsToken });
  jwksRoutes(router, { keys: services.keys });

  app.use(metrics.middleware);
  app.use(requestId(ids));
  app.use(accessLog(logger));
  app.use(securityHeaders({ https: config.baseUrl.startsWith('https:') }));
  app.use(async (ctx, next) => {
    // While draining, ask clients not to reuse the connection so the server can close it.
    if (health.isDraining()) ctx.set('Connection', 'close');
    await next();
  });
  app.use(errorHandler());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
