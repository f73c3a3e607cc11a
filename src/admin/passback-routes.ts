import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { AccountSessionDeps } from '../account/session.ts';
import type { ShownOnce } from '../developer/shown-once.ts';
import { formBody } from '../http/form-body.ts';
import type { Services } from '../services.ts';
import { renderPassbackToken } from '../web/views/admin/passback-token.ts';
import { adminGuard, administratorOf } from './guard.ts';

export interface PassbackRouteDeps extends AccountSessionDeps {
  services: Services;
  /** Carries the new token across the redirect after provisioning, once (path /admin). */
  shownOnce: ShownOnce;
}

const notices: Record<string, string> = { revoked: 'The API token was revoked: it stops working at once.' };

/** Provisioning, rotating and revoking an application's Document Passback API token. */
export function passbackTokenRoutes(router: Router, deps: PassbackRouteDeps, csrf: Middleware): void {
  const guard = adminGuard(deps);
  const forms = [formBody(), csrf, ...guard];
  const path = '/admin/applications/:clientId/passback-token';
  const pageOf = (clientId: string) => `/admin/applications/${encodeURIComponent(clientId)}/passback-token`;

  async function show(ctx: Context, clientId: string) {
    const admin = await administratorOf(ctx, deps);
    const application = await deps.services.applications.get(clientId);
    const token = deps.shownOnce.take(ctx, admin.userId, ctx.path);
    const key = typeof ctx.query.done === 'string' ? ctx.query.done : '';
    ctx.type = 'html';
    ctx.body = renderPassbackToken({
      email: admin.email,
      csrfToken: admin.csrfToken,
      application,
      status: await deps.services.documentPassback.apiTokenStatus(clientId),
      token,
      notice: Object.hasOwn(notices, key) ? notices[key] : undefined,
    });
  }

  router.get(path, csrf, ...guard, (ctx) => show(ctx, ctx.params.clientId ?? ''));
  router.post(path, ...forms, async (ctx) => {
    const clientId = ctx.params.clientId ?? '';
    const admin = await administratorOf(ctx, deps);
    await deps.services.applications.get(clientId);
    const { token } = await deps.services.documentPassback.provisionApiToken(clientId, admin.actor);
    deps.shownOnce.stash(ctx, admin.userId, pageOf(clientId), token);
    ctx.redirect(pageOf(clientId));
    ctx.status = 303;
  });
  router.post(`${path}/revoke`, ...forms, async (ctx) => {
    const clientId = ctx.params.clientId ?? '';
    const admin = await administratorOf(ctx, deps);
    await deps.services.documentPassback.revokeApiToken(clientId, admin.actor);
    ctx.redirect(`${pageOf(clientId)}?done=revoked`);
    ctx.status = 303;
  });
}
