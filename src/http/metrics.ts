import type { Middleware } from 'koa';
import { requestOutcome } from './client-errors.ts';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one app instance: process defaults plus request counts and latencies by route. */
export function createHttpMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vetted_' });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'vetted_http_requests_total',
    help: 'HTTP requests handled, by method, route and status.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'vetted_http_request_duration_seconds',
    help: 'Time to handle an HTTP request, by method, route and status.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  /** Must run outside the error handler so that failed requests are counted with their final status. */
  const middleware: Middleware = async (ctx, next) => {
    const stop = duration.startTimer();
    try {
      await next();
    } finally {
      // Routes are labelled by their pattern, never the raw path, so the label set stays small.
      const matched =
        (ctx.state as { routeLabel?: string }).routeLabel ??
        (ctx as { _matchedRoute?: unknown })._matchedRoute;
      const labels = {
        method: ctx.method,
        route: typeof matched === 'string' ? matched : 'unmatched',
        status: String(requestOutcome(ctx).status),
      };
      requests.inc(labels);
      stop(labels);
    }
  };

  return { registry, middleware };
}

export type HttpMetrics = ReturnType<typeof createHttpMetrics>;
