import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { requireSignIn } from '../account/routes.ts';
import { currentUser } from '../account/session.ts';
import { formBody } from '../http/form-body.ts';
import type { ApplicationView, OrganizationView } from '../manage/schemas.ts';
import {
  applicationsBody,
  newApplicationBody,
  organizationsBody,
  type NewApplicationValues,
} from '../web/views/developer/organizations.ts';
import { applicationRoutes } from './application-routes.ts';
import {
  appPath,
  call,
  csrfOf,
  developer,
  DEVELOPER_HOME,
  formField,
  formValues,
  lines,
  noticeOf,
  orgPath,
  param,
  render,
  shownError,
  type DeveloperDeps,
} from './context.ts';
import { memberRoutes } from './member-routes.ts';

const PAGE = 25;

/** Signed in with a confirmed email: the console acts for a real, reachable person. */
function requireConfirmedDeveloper(deps: DeveloperDeps): Middleware {
  return async (ctx, next) => {
    const user = await currentUser(ctx, deps);
    if (user !== undefined && !user.emailVerified) {
      ctx.redirect(`/account/confirm-email?${new URLSearchParams({ next: ctx.originalUrl }).toString()}`);
      return;
    }
    await next();
  };
}

async function organizationOf(ctx: Context, deps: DeveloperDeps): Promise<OrganizationView> {
  return call<OrganizationView>(ctx, deps, 'getOrganization', {
    params: { organizationId: param(ctx, 'orgId') },
  });
}

async function communityChoices(deps: DeveloperDeps) {
  return (await deps.services.communities.list()).map((community) => ({
    handle: community.handle,
    name: community.name,
  }));
}

async function showNewApplication(
  ctx: Context,
  deps: DeveloperDeps,
  org: OrganizationView,
  values: NewApplicationValues = {},
  errors: Partial<Record<keyof NewApplicationValues | 'form', string>> = {},
) {
  await render(ctx, deps, {
    title: 'Register an application',
    breadcrumbs: [
      { href: DEVELOPER_HOME, label: 'Organizations' },
      { href: orgPath(org.id), label: org.name },
    ],
    body: newApplicationBody({
      action: `${orgPath(org.id)}/apps`,
      csrfToken: csrfOf(ctx),
      communities: await communityChoices(deps),
      values,
      errors,
    }),
    ...(Object.keys(errors).length > 0 ? { status: 400 } : {}),
  });
}

const createFieldOf: Record<string, keyof NewApplicationValues> = {
  'partners.name_invalid': 'name',
  'partners.display_name_invalid': 'display_name',
  'partners.redirect_uri_invalid': 'redirect_uris',
  'partners.redirect_uri_required': 'redirect_uris',
  // Post-logout URIs are the redirect URIs until the partner sets others.
  'partners.post_logout_redirect_uri_invalid': 'redirect_uris',
  'partners.scope_unknown': 'requested_scopes',
  'partners.implicit_not_enabled': 'client_type',
};

/** `/developer`: the partner console, a client of the management API's operations. */
export function developerRoutes(router: Router, deps: DeveloperDeps, csrf: Middleware): void {
  const guard = [requireSignIn(deps), requireConfirmedDeveloper(deps)];
  const forms = [formBody(), csrf, ...guard];

  async function showOrganizations(ctx: Context, extra: { name?: string; error?: string } = {}) {
    const { items } = await call<{ items: OrganizationView[] }>(ctx, deps, 'listOrganizations', {});
    await render(ctx, deps, {
      title: 'Your organizations',
      body: organizationsBody({
        organizations: items,
        csrfToken: csrfOf(ctx),
        notice: noticeOf(ctx),
        ...extra,
      }),
      ...(extra.error === undefined ? {} : { status: 400 }),
    });
  }

  router.get(DEVELOPER_HOME, csrf, ...guard, (ctx) => showOrganizations(ctx));
  router.post(`${DEVELOPER_HOME}/orgs`, ...forms, async (ctx) => {
    const name = formField(ctx, 'name');
    try {
      const org = await call<OrganizationView>(ctx, deps, 'createOrganization', { body: { name } });
      ctx.redirect(orgPath(org.id));
      ctx.status = 303;
    } catch (error) {
      await showOrganizations(ctx, { name, error: shownError(error).message });
    }
  });

  router.get(`${DEVELOPER_HOME}/orgs/:orgId`, csrf, ...guard, async (ctx) => {
    const org = await organizationOf(ctx, deps);
    const query = typeof ctx.query.q === 'string' ? ctx.query.q.slice(0, 200) : '';
    const offset = Math.max(
      0,
      Math.min(1_000_000, Number.parseInt(String(ctx.query.offset ?? '0'), 10) || 0),
    );
    const list = await call<{ items: ApplicationView[]; total: number }>(ctx, deps, 'listApplications', {
      params: { organizationId: org.id },
      query: { q: query, offset, limit: PAGE },
    });
    await render(ctx, deps, {
      title: org.name,
      breadcrumbs: [{ href: DEVELOPER_HOME, label: 'Organizations' }],
      body: applicationsBody({
        orgPath: orgPath(org.id),
        applications: list.items,
        total: list.total,
        offset,
        limit: PAGE,
        query,
        notice: noticeOf(ctx),
      }),
    });
  });

  router.get(`${DEVELOPER_HOME}/orgs/:orgId/apps/new`, csrf, ...guard, async (ctx) => {
    await showNewApplication(ctx, deps, await organizationOf(ctx, deps));
  });
  router.post(`${DEVELOPER_HOME}/orgs/:orgId/apps`, ...forms, async (ctx) => {
    const org = await organizationOf(ctx, deps);
    const values: NewApplicationValues = {
      name: formField(ctx, 'name'),
      display_name: formField(ctx, 'display_name'),
      redirect_uris: formField(ctx, 'redirect_uris'),
      client_type: formField(ctx, 'client_type'),
      requested_scopes: formValues(ctx, 'requested_scopes'),
    };
    try {
      const created = await call<{ application: ApplicationView; client_secret: string | null }>(
        ctx,
        deps,
        'createApplication',
        {
          params: { organizationId: org.id },
          body: {
            name: values.name,
            display_name: values.display_name === '' ? null : values.display_name,
            redirect_uris: lines(values.redirect_uris ?? ''),
            client_type: values.client_type === 'public' ? 'public' : 'confidential',
            requested_scopes: values.requested_scopes,
          },
        },
      );
      // Shown once, on the page this redirects to: the secret is never stored in the clear.
      const credentials = `${appPath(org.id, created.application.client_id)}/credentials`;
      if (created.client_secret !== null) {
        deps.shownOnce.stash(ctx, (await developer(ctx, deps)).id, credentials, created.client_secret);
      }
      ctx.redirect(credentials);
      ctx.status = 303;
    } catch (error) {
      const shown = shownError(error);
      const field =
        lines(values.redirect_uris ?? '').length === 0 && shown.code === 'manage.invalid_request'
          ? 'redirect_uris'
          : (createFieldOf[shown.code] ?? 'form');
      const message =
        field === 'redirect_uris' && shown.code === 'manage.invalid_request'
          ? 'Enter at least one redirect URI.'
          : shown.message;
      await showNewApplication(ctx, deps, org, values, { [field]: message });
    }
  });

  applicationRoutes(router, deps, { forms, guard, csrf, organizationOf });
  memberRoutes(router, deps, { forms, guard, csrf, organizationOf });
}
