import type { Context, Middleware } from 'koa';
import { requireSignIn } from '../account/routes.ts';
import { currentUser, type AccountSessionDeps } from '../account/session.ts';
import type { Actor, RequestOrigin } from '../audit/audit-service.ts';
import type { Services } from '../services.ts';
import { renderError } from '../web/views/error.ts';

/** What the administrator console's guard needs: the browser session and the staff roles. */
export interface AdminGuardDeps extends AccountSessionDeps {
  services: Pick<Services, 'roles'>;
}

interface PageState {
  csrfToken: string;
  requestId: string;
}

/** The signed-in administrator of this request, as the pages and the audited services need them. */
export interface Administrator {
  userId: string;
  email: string;
  actor: Actor;
  origin: RequestOrigin;
  csrfToken: string;
}

/** Only administrators: anyone else signed in gets a 403 page, and nothing of the area is cached. */
function requireAdministrator(deps: AdminGuardDeps): Middleware {
  return async (ctx, next) => {
    const user = await currentUser(ctx, deps);
    ctx.set('Cache-Control', 'no-store');
    if (user === undefined || !(await deps.services.roles.hasRole(user.id, 'admin'))) {
      ctx.status = 403;
      ctx.type = 'html';
      ctx.body = renderError({
        status: 403,
        title: 'This area is for administrators',
        message: 'Your account cannot administer Vetted. Sign in with an administrator account.',
        requestId: (ctx.state as PageState).requestId,
      });
      return;
    }
    await next();
  };
}

/** Sign-in (visitors are sent to sign in first), then the administrator role. Runs after the CSRF middleware. */
export function adminGuard(deps: AdminGuardDeps): Middleware[] {
  return [requireSignIn(deps), requireAdministrator(deps)];
}

/** The administrator the guard let through. */
export async function administratorOf(ctx: Context, deps: AdminGuardDeps): Promise<Administrator> {
  const user = await currentUser(ctx, deps);
  if (user === undefined) throw new Error('adminGuard runs first');
  const state = ctx.state as PageState;
  return {
    userId: user.id,
    email: user.email,
    actor: { type: 'administrator', id: user.id },
    origin: { ip: ctx.ip, requestId: state.requestId },
    csrfToken: state.csrfToken,
  };
}
