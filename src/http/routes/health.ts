import type { Router } from '@koa/router';
import { secretsEqual } from '../../lib/constant-time.ts';
import type { HttpMetrics } from '../metrics.ts';

export interface Readiness {
  /** Resolves with a reason when the instance should not receive traffic, undefined when ready. */
  check(): Promise<string | undefined>;
}

export function healthRoutes(
  router: Router,
  deps: { readiness: Readiness; metrics: HttpMetrics; metricsToken: string | undefined },
): void {
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const reason = await deps.readiness.check();
    ctx.status = reason === undefined ? 200 : 503;
    ctx.body = reason === undefined ? { status: 'ready' } : { status: 'not_ready', reason };
  });

  router.get('/metrics', async (ctx) => {
    const { metricsToken } = deps;
    if (metricsToken !== undefined) {
      const given = /^Bearer (.+)$/i.exec(ctx.get('authorization'))?.[1] ?? '';
      if (!secretsEqual(given, metricsToken)) {
        ctx.status = 401;
        ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
        ctx.body = { error: 'http.unauthorized', message: 'Metrics need the configured bearer token.' };
        return;
      }
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
}
