import type { Middleware } from 'koa';
import type { IdGenerator } from '../lib/ids.ts';
import type { Logger } from '../lib/logger.ts';
import { requestOutcome } from './client-errors.ts';
import { loggedPath } from './logged-path.ts';
import { RequestState, type AppState } from './state.ts';

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Every request gets an id (the caller's `X-Request-Id` when it looks sane), echoed on the response, a
 * logger carrying it, and one access-log line. Only the path is logged, with secrets in it masked: query
 * strings can carry tokens (`access_token=`, `token=`), some paths do too (logged-path.ts).
 */
export function requestContext(ids: IdGenerator, logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const started = performance.now();
    const given = ctx.get('x-request-id');
    const state = new RequestState(logger, ACCEPTABLE_ID.test(given) ? given : ids.token());
    ctx.state = state;
    ctx.set('X-Request-Id', state.requestId);
    // Read now: once a client has gone, its socket no longer knows the address.
    const ip = ctx.ip;
    try {
      await next();
    } finally {
      // What the client got: a request Node refused half-way, or whose client left, is no 500 (client-errors.ts).
      const { status, refused, aborted } = requestOutcome(ctx);
      const level = status >= 500 ? 'error' : 'info';
      if (logger.isLevelEnabled(level))
        state.log[level](
          {
            method: ctx.method,
            path: loggedPath(ctx.path),
            status,
            ...(refused === undefined ? {} : { refused }),
            ...(aborted === undefined ? {} : { aborted }),
            ms: Math.round((performance.now() - started) * 10) / 10,
            ip,
          },
          'request',
        );
    }
  };
}
