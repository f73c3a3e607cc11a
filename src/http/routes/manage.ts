import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { currentUser, type AccountSessionDeps } from '../../account/session.ts';
import type { Caller } from '../../manage/access.ts';
import { manageErrors } from '../../manage/errors.ts';
import { invokeOperation } from '../../manage/invoke.ts';
import { managementOpenApi } from '../../manage/openapi.ts';
import { MANAGE_BASE, managementOperations } from '../../manage/operations.ts';
import type { Operation } from '../../manage/route.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Services } from '../../services.ts';
import { isBodyError, readBody } from '../body.ts';
import { csrfTokenMatches } from '../csrf.ts';

const JSON_LIMIT = 64 * 1024;
const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The body, up to `maxBytes` (body.ts), with the management API's own error codes. */
async function readManageBody(ctx: Context, maxBytes: number): Promise<Buffer> {
  try {
    return await readBody(ctx, maxBytes);
  } catch (error) {
    if (!isBodyError(error)) throw error;
    if (error.status === 413) {
      throw new AppError({ code: 'manage.body_too_large', status: 413, message: error.message });
    }
    if (error.status === 415) {
      throw new AppError({ code: 'manage.unsupported_media_type', status: 415, message: error.message });
    }
    throw manageErrors.invalidRequest(error.message);
  }
}

async function bodyOf(ctx: Context, operation: Operation): Promise<unknown> {
  if (operation.rawBody !== undefined) {
    const type = ctx.request.type.toLowerCase();
    if (!operation.rawBody.contentTypes.includes(type))
      throw manageErrors.unsupportedMediaType(operation.rawBody.contentTypes);
    return readManageBody(ctx, operation.rawBody.maxBytes);
  }
  if (operation.body === undefined) return undefined;
  const raw = await readManageBody(ctx, JSON_LIMIT);
  if (raw.length === 0) return {};
  if (ctx.request.type !== 'application/json') throw manageErrors.unsupportedMediaType(['application/json']);
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw manageErrors.invalidRequest('The body is not valid JSON.');
  }
}

/** The caller: an API key in `Authorization: Bearer`, else the console session (with its CSRF header). */
async function callerOf(ctx: Context, services: Services, sessions: AccountSessionDeps): Promise<Caller> {
  const authorization = ctx.get('authorization');
  if (authorization !== '') {
    const presented = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
    const found = presented === undefined ? undefined : await services.apiKeys.authenticate(presented);
    if (found === undefined) {
      ctx.set('WWW-Authenticate', 'Bearer realm="vetted-manage", error="invalid_token"');
      throw manageErrors.unauthenticated();
    }
    return { kind: 'api_key', apiKey: found.key };
  }
  const user = await currentUser(ctx, sessions);
  if (user === undefined) throw manageErrors.unauthenticated();
  if (unsafe.has(ctx.method) && !csrfTokenMatches(ctx, ctx.get('x-csrf-token'))) throw manageErrors.csrf();
  return { kind: 'user', user };
}

/** `/api/manage/v1/…`: every management operation over HTTP, and the OpenAPI document. */
export function manageRoutes(router: Router, services: Services, sessions: AccountSessionDeps): void {
  const document = managementOpenApi(services.config.baseUrl);
  router.get(`${MANAGE_BASE}/openapi.json`, (ctx) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.body = document;
  });
  for (const operation of managementOperations) {
    const path = MANAGE_BASE + operation.path.replace(/\{(\w+)\}/g, ':$1');
    router[operation.method](path, async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      const caller = await callerOf(ctx, services, sessions);
      const result = await invokeOperation(services, operation, caller, {
        params: ctx.params,
        query: ctx.query,
        body: await bodyOf(ctx, operation),
      });
      ctx.status = operation.status ?? 200;
      if (result !== undefined) ctx.body = result;
    });
  }
}
