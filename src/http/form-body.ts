import type { Middleware } from 'koa';
import { renderError } from '../web/views/error.ts';
import { isBodyError, parseRequestBody } from './body.ts';

const TITLES: Record<number, string> = {
  413: 'This form is too large',
  415: 'This form was sent in a way Vetted cannot read',
};

/** Parses the form; a body it refuses (too large, unreadable, encoded oddly) is answered with a page in Vetted's look. */
export function formBody(): Middleware {
  return async (ctx, next) => {
    try {
      // Parse only: the rest of the chain runs below, outside this error handling.
      await parseRequestBody(ctx, { types: ['form'], maxBytes: 16 * 1024 });
    } catch (error) {
      if (!isBodyError(error)) throw error;
      const { status } = error;
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = renderError({
        status,
        title: TITLES[status] ?? 'This form could not be read',
        message: 'Go back, check what you entered and try again.',
        requestId: ctx.state.requestId as string,
      });
      return;
    }
    await next();
  };
}
