import type { Middleware } from 'koa';
import type { Logger } from '../lib/logger.ts';
import type { AppState } from './state.ts';

/**
 * One log line per request, with a child logger carrying the request id for everything logged meanwhile.
 * Only the path is logged: query strings can carry tokens (`access_token=`, `token=`).
 */
export function accessLog(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const started = performance.now();
    ctx.state.log = logger.child({ requestId: ctx.state.requestId });
    try {
      await next();
    } finally {
      const level = ctx.status >= 500 ? 'error' : 'info';
      ctx.state.log[level](
        {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          ip: ctx.ip,
        },
        'request',
      );
    }
  };
}
