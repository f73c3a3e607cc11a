import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { ApiKeyView, InvitationView, MemberView, OrganizationView } from '../manage/schemas.ts';
import { apiKeysBody, invitationBody, membersBody } from '../web/views/developer/members.ts';
import type { RouteKit } from './application-pages.ts';
import {
  call,
  csrfOf,
  developer,
  DEVELOPER_HOME,
  formField,
  formValues,
  noticeOf,
  orgPath,
  redirectWithNotice,
  render,
  shownError,
  type DeveloperDeps,
} from './context.ts';

/** Members, invitations and API keys of an organization, and accepting an invitation. */
export function memberRoutes(router: Router, deps: DeveloperDeps, kit: RouteKit): void {
  const { forms, guard, csrf } = kit;
  const base = '/developer/orgs/:orgId';

  async function showMembers(
    ctx: Context,
    org: OrganizationView,
    extra: { error?: string; email?: string } = {},
  ) {
    const me = await developer(ctx, deps);
    const params = { organizationId: org.id };
    const { items } = await call<{ items: MemberView[] }>(ctx, deps, 'listMembers', { params });
    // Invitations are for admins; others see the members only.
    const invitations = await call<{ items: InvitationView[] }>(ctx, deps, 'listInvitations', {
      params,
    }).catch((error: unknown) => {
      if (shownError(error).status === 403) return undefined;
      throw error;
    });
    await render(ctx, deps, {
      title: 'Members',
      breadcrumbs: [
        { href: DEVELOPER_HOME, label: 'Organizations' },
        { href: orgPath(org.id), label: org.name },
      ],
      body: membersBody({
        members: items,
        invitations: invitations?.items,
        me: me.id,
        base: `${orgPath(org.id)}/members`,
        csrfToken: csrfOf(ctx),
        notice: noticeOf(ctx),
        ...extra,
      }),
      ...(extra.error === undefined ? {} : { status: 400 }),
    });
  }

  router.get(`${base}/members`, csrf, ...guard, async (ctx) => {
    await showMembers(ctx, await kit.organizationOf(ctx, deps));
  });
  router.post(`${base}/invitations`, ...forms, async (ctx) => {
    const org = await kit.organizationOf(ctx, deps);
    const email = formField(ctx, 'email');
    try {
      await call(ctx, deps, 'invite', {
        params: { organizationId: org.id },
        body: { email, role: formField(ctx, 'role') },
      });
      redirectWithNotice(ctx, `${orgPath(org.id)}/members`, 'invited');
    } catch (error) {
      await showMembers(ctx, org, { error: shownError(error).message, email });
    }
  });
  router.post(`${base}/invitations/:invitationId/revoke`, ...forms, async (ctx) => {
    const org = await kit.organizationOf(ctx, deps);
    await call(ctx, deps, 'revokeInvitation', {
      params: { organizationId: org.id, invitationId: ctx.params.invitationId },
    });
    redirectWithNotice(ctx, `${orgPath(org.id)}/members`, 'invitation_revoked');
  });
  router.post(`${base}/members/:userId/role`, ...forms, async (ctx) => {
    const org = await kit.organizationOf(ctx, deps);
    try {
      await call(ctx, deps, 'changeMemberRole', {
        params: { organizationId: org.id, userId: ctx.params.userId },
        body: { role: formField(ctx, 'role') },
      });
      redirectWithNotice(ctx, `${orgPath(org.id)}/members`, 'role_changed');
    } catch (error) {
      await showMembers(ctx, org, { error: shownError(error).message });
    }
  });
  router.post(`${base}/members/:userId/remove`, ...forms, async (ctx) => {
    const org = await kit.organizationOf(ctx, deps);
    const me = await developer(ctx, deps);
    try {
      await call(ctx, deps, 'removeMember', {
        params: { organizationId: org.id, userId: ctx.params.userId },
      });
      if (ctx.params.userId === me.id) return redirectWithNotice(ctx, DEVELOPER_HOME, 'member_removed');
      redirectWithNotice(ctx, `${orgPath(org.id)}/members`, 'member_removed');
    } catch (error) {
      await showMembers(ctx, org, { error: shownError(error).message });
    }
  });

  async function showKeys(
    ctx: Context,
    org: OrganizationView,
    extra: {
      created?: string;
      errors?: { name?: string; scopes?: string };
      name?: string;
      scopes?: string[];
    } = {},
  ) {
    const { items } = await call<{ items: ApiKeyView[] }>(ctx, deps, 'listApiKeys', {
      params: { organizationId: org.id },
    });
    await render(ctx, deps, {
      title: 'API keys',
      breadcrumbs: [
        { href: DEVELOPER_HOME, label: 'Organizations' },
        { href: orgPath(org.id), label: org.name },
      ],
      body: apiKeysBody({
        keys: items,
        base: `${orgPath(org.id)}/api-keys`,
        csrfToken: csrfOf(ctx),
        notice: noticeOf(ctx),
        ...extra,
      }),
      ...(extra.errors === undefined ? {} : { status: 400 }),
    });
  }
  router.get(`${base}/api-keys`, csrf, ...guard, async (ctx) => {
    const org = await kit.organizationOf(ctx, deps);
    const created = deps.shownOnce.take(ctx, (await developer(ctx, deps)).id, ctx.path);
    await showKeys(ctx, org, created === undefined ? {} : { created });
  });
  router.post(`${base}/api-keys`, ...forms, async (ctx) => {
    const org = await kit.organizationOf(ctx, deps);
    const name = formField(ctx, 'name');
    const scopes = formValues(ctx, 'scopes');
    if (scopes.length === 0)
      return showKeys(ctx, org, { errors: { scopes: 'Choose at least one scope.' }, name, scopes });
    try {
      const created = await call<{ key: string }>(ctx, deps, 'createApiKey', {
        params: { organizationId: org.id },
        body: { name, scopes },
      });
      // Shown once, on the page this redirects to.
      const keys = `${orgPath(org.id)}/api-keys`;
      deps.shownOnce.stash(ctx, (await developer(ctx, deps)).id, keys, created.key);
      ctx.redirect(keys);
      ctx.status = 303;
    } catch (error) {
      await showKeys(ctx, org, { errors: { name: shownError(error).message }, name, scopes });
    }
  });
  router.post(`${base}/api-keys/:apiKeyId/revoke`, ...forms, async (ctx) => {
    const org = await kit.organizationOf(ctx, deps);
    await call(ctx, deps, 'revokeApiKey', {
      params: { organizationId: org.id, apiKeyId: ctx.params.apiKeyId },
    });
    redirectWithNotice(ctx, `${orgPath(org.id)}/api-keys`, 'key_revoked');
  });

  // The link mailed to an invitee: sign in (or create an account) with that address, then accept.
  const invitation = `${DEVELOPER_HOME}/invitations/:token`;
  router.get(invitation, csrf, ...guard, async (ctx) => {
    await render(ctx, deps, {
      title: 'Join an organization',
      body: invitationBody({ action: ctx.path, csrfToken: csrfOf(ctx) }),
    });
  });
  router.post(invitation, ...forms, async (ctx) => {
    try {
      const joined = await call<{ organization_id: string }>(ctx, deps, 'acceptInvitation', {
        body: { token: ctx.params.token },
      });
      redirectWithNotice(ctx, orgPath(joined.organization_id), 'joined');
    } catch (error) {
      await render(ctx, deps, {
        title: 'Join an organization',
        body: invitationBody({ action: ctx.path, csrfToken: csrfOf(ctx), error: shownError(error).message }),
        status: 400,
      });
    }
  });
}
