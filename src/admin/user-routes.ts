import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { AccountAdmin } from '../accounts/account-admin.ts';
import { accountErrors, InvalidInputError } from '../accounts/errors.ts';
import { normalizeEmail } from '../accounts/user-input.ts';
import { formBody } from '../http/form-body.ts';
import { isAppError } from '../lib/app-error.ts';
import type { Services } from '../services.ts';
import { renderAdminUser, renderAdminUsers, type AdminUserView } from '../web/views/admin-users.ts';
import { adminGuard, administratorOf, type AdminGuardDeps } from './guard.ts';

export interface AdminUserRouteDeps extends AdminGuardDeps {
  services: Pick<Services, 'roles' | 'verification' | 'communities' | 'consents' | 'applications'> & {
    accountAdmin: AccountAdmin;
  };
}

const HOME = '/admin/users';
const PAGE_SIZE = 25;
const userPath = (id: string) => `${HOME}/${encodeURIComponent(id)}`;

function formField(ctx: Context, name: string): string {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

const notices: Record<string, string> = {
  locked: 'The account is locked. Its sessions ended and its applications lost their access.',
  unlocked: 'The account is unlocked: it can sign in again.',
};

async function showUser(
  ctx: Context,
  deps: AdminUserRouteDeps,
  id: string,
  extra: Pick<AdminUserView, 'errors' | 'values' | 'notice'> = {},
): Promise<void> {
  const { services } = deps;
  const admin = await administratorOf(ctx, deps);
  const user = await services.accountAdmin.find(id);
  if (user === undefined) throw accountErrors.userNotFound();
  const verifications = await services.verification.listForUser(user.id);
  const apps = await services.consents.connectedApps(user.id);
  const path = userPath(user.id);
  ctx.type = 'html';
  ctx.body = renderAdminUser({
    email: admin.email,
    csrfToken: admin.csrfToken,
    user: { ...user, name: `${user.firstName} ${user.lastName}` },
    verifications: await Promise.all(
      verifications.map(async (item) => ({
        community: (await services.communities.find(item.community))?.name ?? item.community,
        status: item.effectiveStatus,
        method: item.method,
        subgroups: item.subgroups,
        createdAt: item.createdAt,
        verifiedAt: item.verifiedAt,
        expiresAt: item.expiresAt,
      })),
    ),
    apps: await Promise.all(
      apps.map(async (app) => ({
        ...app,
        name: (await services.applications.findByClientId(app.clientId))?.name ?? app.clientId,
      })),
    ),
    actions: { lock: `${path}/lock`, unlock: `${path}/unlock`, delete: `${path}/delete` },
    ...extra,
  });
}

/** Answers a refused change with the user's page and the message; anything else goes on up. */
async function refused(
  ctx: Context,
  deps: AdminUserRouteDeps,
  id: string,
  error: unknown,
  values: AdminUserView['values'],
) {
  if (!isAppError(error) || error.status >= 500 || error.code === 'accounts.user_not_found') throw error;
  ctx.status = error.status;
  const errors = error instanceof InvalidInputError ? { ...error.fields } : { form: error.message };
  await showUser(ctx, deps, id, { errors, ...(values === undefined ? {} : { values }) });
}

/** Administrators do not lock or delete themselves here (they would lose the console mid-way). */
async function ownAccount(ctx: Context, deps: AdminUserRouteDeps, id: string, verb: 'lock' | 'delete') {
  ctx.status = 400;
  await showUser(ctx, deps, id, { errors: { form: `You cannot ${verb} your own account.` } });
}

/** The administrator console's users: search, one account, lock and unlock, delete with all its data. */
export function adminUserRoutes(router: Router, deps: AdminUserRouteDeps, csrf: Middleware): void {
  const guard = adminGuard(deps);
  const forms = [formBody(), csrf, ...guard];
  const { services } = deps;

  router.get(HOME, csrf, ...guard, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const query = typeof ctx.query.q === 'string' ? ctx.query.q.slice(0, 200) : '';
    const offset = Math.max(
      0,
      Math.min(1_000_000, Number.parseInt(String(ctx.query.offset ?? '0'), 10) || 0),
    );
    const { items, total } = await services.accountAdmin.search({ query, limit: PAGE_SIZE, offset });
    ctx.type = 'html';
    ctx.body = renderAdminUsers({
      email: admin.email,
      csrfToken: admin.csrfToken,
      query,
      total,
      offset,
      limit: PAGE_SIZE,
      items: items.map((user) => ({
        href: userPath(user.id),
        name: `${user.firstName} ${user.lastName}`,
        email: user.email,
        emailVerified: user.emailVerified,
        createdAt: user.createdAt,
        locked: user.lockedAt !== null,
        testPersona: user.testPersona,
      })),
      href: (at) =>
        `${HOME}?${new URLSearchParams({ ...(query === '' ? {} : { q: query }), offset: String(at) }).toString()}`,
      ...(ctx.query.deleted === '1' ? { notice: 'The account and all its data were deleted.' } : {}),
    });
  });

  router.get(`${HOME}/:id`, csrf, ...guard, async (ctx) => {
    const done = typeof ctx.query.done === 'string' ? notices[ctx.query.done] : undefined;
    await showUser(ctx, deps, ctx.params.id ?? '', done === undefined ? {} : { notice: done });
  });

  router.post(`${HOME}/:id/lock`, ...forms, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const id = ctx.params.id ?? '';
    const reason = formField(ctx, 'reason');
    if (id === admin.userId) return ownAccount(ctx, deps, id, 'lock');
    try {
      await services.accountAdmin.lock(id, reason, admin.actor, admin.origin);
    } catch (error) {
      return refused(ctx, deps, id, error, { reason });
    }
    ctx.redirect(`${userPath(id)}?done=locked`);
    ctx.status = 303;
  });

  router.post(`${HOME}/:id/unlock`, ...forms, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const id = ctx.params.id ?? '';
    await services.accountAdmin.unlock(id, admin.actor, admin.origin);
    ctx.redirect(`${userPath(id)}?done=unlocked`);
    ctx.status = 303;
  });

  router.post(`${HOME}/:id/delete`, ...forms, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const id = ctx.params.id ?? '';
    const user = await services.accountAdmin.find(id);
    if (user === undefined) throw accountErrors.userNotFound();
    const confirm = formField(ctx, 'confirm');
    if (id === admin.userId) return ownAccount(ctx, deps, id, 'delete');
    if (normalizeEmail(confirm) !== normalizeEmail(user.email)) {
      ctx.status = 400;
      await showUser(ctx, deps, id, {
        errors: {
          confirm:
            confirm.trim() === ''
              ? 'Type the account’s email address to confirm.'
              : 'That is not this account’s email address.',
        },
        values: { confirm },
      });
      return;
    }
    try {
      await services.accountAdmin.remove(id, admin.actor, admin.origin);
    } catch (error) {
      return refused(ctx, deps, id, error, { confirm });
    }
    ctx.redirect(`${HOME}?deleted=1`);
    ctx.status = 303;
  });
}
