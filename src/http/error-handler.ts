import { STATUS_CODES } from 'node:http';
import type { Context, Middleware } from 'koa';
import { isAppError } from '../lib/app-error.ts';
import { isConnectionError, requestOutcome } from './client-errors.ts';
import type { AppState } from './state.ts';

interface ErrorResponse {
  status: number;
  code: string;
  message: string;
}

/**
 * Maps every error to a response: AppError by its code and status, Koa's HTTP errors (bad JSON, body too
 * large) by their status, anything else to a 500 whose details stay in the log under the request id.
 * Bodiless error statuses (an unmatched route's 404, the router's 405) get a body in the same shape.
 */
export function errorHandler(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status >= 400 && ctx.body == null) respond(ctx, httpError(ctx.status));
    } catch (error) {
      const response = toResponse(error);
      // A body that broke off because the client left (or Node refused the rest) is no bug of ours.
      const outcome = requestOutcome(ctx);
      const broken = isConnectionError(error) && (outcome.aborted === true || outcome.refused !== undefined);
      if (response.status >= 500 && !broken) ctx.state.log.error({ err: error }, 'request failed');
      else ctx.state.log.debug({ err: error }, 'request rejected');
      respond(ctx, response);
    }
  };
}

function toResponse(error: unknown): ErrorResponse {
  if (isAppError(error)) {
    return {
      status: error.status,
      code: error.code,
      message: error.expose ? error.message : 'Something went wrong on our side.',
    };
  }
  const status = httpStatusOf(error);
  if (status !== undefined && status < 500) {
    const expose = (error as { expose?: boolean }).expose === true;
    return { ...httpError(status), ...(expose ? { message: (error as Error).message } : {}) };
  }
  return { status: 500, code: 'internal_error', message: 'Something went wrong on our side.' };
}

/** `http.not_found`, `http.method_not_allowed`, … with the standard reason phrase. */
function httpError(status: number): ErrorResponse {
  if (status === 404) return { status, code: 'http.not_found', message: 'There is nothing at this address.' };
  const phrase = STATUS_CODES[status] ?? 'Error';
  return { status, code: `http.${phrase.toLowerCase().replace(/[^a-z]+/g, '_')}`, message: `${phrase}.` };
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value <= 599 ? value : undefined;
}

function respond(ctx: Context & { state: AppState }, response: ErrorResponse): void {
  ctx.status = response.status;
  if (ctx.accepts('json', 'html') === 'html') {
    ctx.type = 'html';
    ctx.body = errorPage(response, ctx.state.requestId);
  } else {
    ctx.body = { error: response.code, message: response.message, request_id: ctx.state.requestId };
  }
}

function errorPage(response: ErrorResponse, requestId: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Error ${response.status} · Vetted</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${escape(response.message)}</h1>
<p>Error code <code>${escape(response.code)}</code>, request <code>${escape(requestId)}</code>.</p></main></body></html>`;
}
