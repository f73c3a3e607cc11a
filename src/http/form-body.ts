import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { renderError } from '../web/views/error.ts';

/** Parses the form; a body it refuses (too large, unreadable) is answered with a page in Vetted's look. */
export function formBody(): Middleware {
  const parse = bodyParser({ enableTypes: ['form'], formLimit: '16kb' }) as Middleware;
  return async (ctx, next) => {
    try {
      // Parse only: the rest of the chain runs below, outside this error handling.
      await parse(ctx, () => Promise.resolve());
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (typeof status !== 'number' || status < 400 || status >= 500) throw error;
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = renderError({
        status,
        title: status === 413 ? 'This form is too large' : 'This form could not be read',
        message: 'Go back, check what you entered and try again.',
        requestId: ctx.state.requestId as string,
      });
      return;
    }
    await next();
  };
}
