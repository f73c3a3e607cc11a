import type { Middleware } from 'koa';
import type { IdGenerator } from '../lib/ids.ts';
import type { AppState } from './state.ts';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Every request gets an id (the caller's `X-Request-Id` when it looks sane), echoed on the response. */
export function requestId(ids: IdGenerator): Middleware<AppState> {
  return async (ctx, next) => {
    const given = ctx.get('x-request-id');
    ctx.state.requestId = ACCEPTABLE.test(given) ? given : ids.token();
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  };
}
