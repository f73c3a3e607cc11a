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
    // Made on first use: most requests log nothing but this line.
    let child: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', {
      get: () => (child ??= logger.child({ requestId: ctx.state.requestId })),
      configurable: true,
    });
    try {
      await next();
    } finally {
      const level = ctx.status >= 500 ? 'error' : 'info';
      if (logger.isLevelEnabled(level))
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
