import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type {
  ApplicationView,
  ChecklistItemView,
  OrganizationView,
  ProductionRequestView,
} from '../manage/schemas.ts';
import {
  activityBody,
  type ApiCallRow,
  type AuthFailuresView,
} from '../web/views/developer/application-activity.ts';
import {
  integrationBody,
  productionBody,
  sandboxBody,
  type InvitationRow,
  type PersonaRow,
  type TestUserRow,
} from '../web/views/developer/application-sandbox.ts';
import { renderAppPage, type RouteKit } from './application-pages.ts';
import type { AppContext } from './application-routes.ts';
import { testCallbackUrl } from '../partners/demo-shop.ts';
import {
  appPath,
  call,
  csrfOf,
  developer,
  formField,
  noticeOf,
  redirectWithNotice,
  shownError,
  type DeveloperDeps,
} from './context.ts';

const PAGE = 50;

/** An application's Sandbox, Production, Integration and Activity tabs. */
export function sandboxRoutes(
  router: Router,
  deps: DeveloperDeps,
  kit: RouteKit,
  helpers: { context: AppContext },
): void {
  const { forms, guard, csrf } = kit;
  const base = '/developer/orgs/:orgId/apps/:clientId';
  const ids = (org: OrganizationView, app: ApplicationView) => ({
    organizationId: org.id,
    clientId: app.client_id,
  });

  async function showSandbox(
    ctx: Context,
    org: OrganizationView,
    app: ApplicationView,
    extra: {
      created?: { email: string; password: string };
      errors?: { create?: string; add?: string; test?: string };
      email?: string;
    } = {},
  ) {
    const params = ids(org, app);
    const [personas, testUsers, invitations] = await Promise.all([
      call<{ items: PersonaRow[] }>(ctx, deps, 'listSandboxPersonas', { params }),
      call<{ items: TestUserRow[] }>(ctx, deps, 'listTestUsers', { params }),
      call<{ items: InvitationRow[] }>(ctx, deps, 'listTestUserInvitations', { params }),
    ]);
    const path = `${appPath(org.id, app.client_id)}/sandbox`;
    await renderAppPage(ctx, deps, org, app, {
      body: sandboxBody({
        app,
        personas: personas.items,
        testUsers: testUsers.items,
        invitations: invitations.items,
        communities: await deps.services.communities.list(),
        createAction: `${path}/personas`,
        addAction: `${path}/testers`,
        removeAction: (userId) => `${path}/testers/${encodeURIComponent(userId)}/remove`,
        withdrawAction: (id) => `${path}/invitations/${encodeURIComponent(id)}/remove`,
        testAction: `${path}/test`,
        csrfToken: csrfOf(ctx),
        notice: noticeOf(ctx),
        ...extra,
      }),
      ...(extra.errors === undefined ? {} : { status: 400 }),
    });
  }

  router.get(`${base}/sandbox`, csrf, ...guard, async (ctx) => {
    const { org, app } = await helpers.context(ctx);
    const stashed = deps.shownOnce.take(ctx, (await developer(ctx, deps)).id, ctx.path);
    const created =
      stashed === undefined ? undefined : (JSON.parse(stashed) as { email: string; password: string });
    await showSandbox(ctx, org, app, created === undefined ? {} : { created });
  });
  // "Test this app": a sandbox authorization that returns to Vetted's own test callback (demo/routes.ts), with
  // state, nonce and the PKCE verifier kept for it in this browser, bound to this developer and application.
  router.post(`${base}/sandbox/test`, ...forms, async (ctx) => {
    const { org, app } = await helpers.context(ctx);
    if (app.mode !== 'sandbox' || app.status !== 'active') {
      await showSandbox(ctx, org, app, {
        errors: { test: 'Only an active application in sandbox mode can be tested here.' },
      });
      return;
    }
    const { config } = deps.services;
    const communities = new Set(
      (await deps.services.communities.list()).map((community) => community.handle),
    );
    const start = deps.testFlows.start(
      ctx,
      {
        kind: 'console',
        clientId: app.client_id,
        clientType: app.client_type,
        redirectUri: testCallbackUrl(config.baseUrl),
        scope: ['openid', ...app.enabled_scopes.filter((scope) => communities.has(scope))].join(' '),
        userId: (await developer(ctx, deps)).id,
        returnTo: `${appPath(org.id, app.client_id)}/production`,
      },
      `${config.baseUrl}/oauth/authorize`,
    );
    ctx.redirect(start);
    ctx.status = 303;
  });
  router.post(`${base}/sandbox/personas`, ...forms, async (ctx) => {
    const { org, app } = await helpers.context(ctx);
    try {
      const made = await call<{ email: string; password: string }>(ctx, deps, 'addTestUser', {
        params: ids(org, app),
        body: { community: formField(ctx, 'community'), outcome: formField(ctx, 'outcome') },
      });
      // Shown once, on the page this redirects to.
      const sandbox = `${appPath(org.id, app.client_id)}/sandbox`;
      const shown = JSON.stringify({ email: made.email, password: made.password });
      deps.shownOnce.stash(ctx, (await developer(ctx, deps)).id, sandbox, shown);
      ctx.redirect(sandbox);
      ctx.status = 303;
    } catch (error) {
      await showSandbox(ctx, org, app, { errors: { create: shownError(error).message } });
    }
  });
  router.post(`${base}/sandbox/testers`, ...forms, async (ctx) => {
    const { org, app } = await helpers.context(ctx);
    const email = formField(ctx, 'email');
    try {
      await call(ctx, deps, 'addTestUser', { params: ids(org, app), body: { email } });
      redirectWithNotice(ctx, `${appPath(org.id, app.client_id)}/sandbox`, 'tester_invited');
    } catch (error) {
      await showSandbox(ctx, org, app, { errors: { add: shownError(error).message }, email });
    }
  });
  router.post(`${base}/sandbox/testers/:userId/remove`, ...forms, async (ctx) => {
    const { org, app } = await helpers.context(ctx);
    await call(ctx, deps, 'removeTestUser', { params: { ...ids(org, app), userId: ctx.params.userId } });
    redirectWithNotice(ctx, `${appPath(org.id, app.client_id)}/sandbox`, 'tester_removed');
  });

  router.post(`${base}/sandbox/invitations/:invitationId/remove`, ...forms, async (ctx) => {
    const { org, app } = await helpers.context(ctx);
    await call(ctx, deps, 'removeTestUserInvitation', {
      params: { ...ids(org, app), invitationId: ctx.params.invitationId },
    });
    redirectWithNotice(ctx, `${appPath(org.id, app.client_id)}/sandbox`, 'invitation_withdrawn_tester');
  });

  async function showProduction(ctx: Context, org: OrganizationView, app: ApplicationView, error?: string) {
    const status = await call<{ checklist: ChecklistItemView[]; requests: ProductionRequestView[] }>(
      ctx,
      deps,
      'getProductionStatus',
      { params: ids(org, app) },
    );
    await renderAppPage(ctx, deps, org, app, {
      body: productionBody({
        app,
        ...status,
        requestAction: `${appPath(org.id, app.client_id)}/production/request`,
        csrfToken: csrfOf(ctx),
        notice: noticeOf(ctx),
        ...(error === undefined ? {} : { error }),
      }),
      ...(error === undefined ? {} : { status: 400 }),
    });
  }
  router.get(`${base}/production`, csrf, ...guard, async (ctx) => {
    const { org, app } = await helpers.context(ctx);
    await showProduction(ctx, org, app);
  });
  router.post(`${base}/production/request`, ...forms, async (ctx) => {
    const { org, app } = await helpers.context(ctx);
    try {
      await call(ctx, deps, 'requestProduction', { params: ids(org, app) });
      redirectWithNotice(ctx, `${appPath(org.id, app.client_id)}/production`, 'requested');
    } catch (error) {
      await showProduction(ctx, org, app, shownError(error).message);
    }
  });

  router.get(`${base}/integration`, csrf, ...guard, async (ctx) => {
    const { org, app } = await helpers.context(ctx);
    const snippets = await call<{
      discovery_url: string;
      items: { language: string; title: string; code: string }[];
    }>(ctx, deps, 'getSnippets', { params: ids(org, app) });
    await renderAppPage(ctx, deps, org, app, {
      body: integrationBody({ discoveryUrl: snippets.discovery_url, snippets: snippets.items }),
    });
  });

  router.get(`${base}/activity`, csrf, ...guard, async (ctx) => {
    const { org, app } = await helpers.context(ctx);
    const offset = Math.max(0, Math.min(500, Number.parseInt(String(ctx.query.offset ?? '0'), 10) || 0));
    const [calls, failures, events] = await Promise.all([
      call<{ items: ApiCallRow[]; total: number }>(ctx, deps, 'listApiCalls', {
        params: ids(org, app),
        query: { limit: PAGE, offset },
      }),
      call<AuthFailuresView>(ctx, deps, 'getClientAuthenticationFailures', { params: ids(org, app) }),
      call<{ items: { at: string; event: string; actor_type: string; data: Record<string, unknown> }[] }>(
        ctx,
        deps,
        'listApplicationEvents',
        { params: ids(org, app) },
      ),
    ]);
    await renderAppPage(ctx, deps, org, app, {
      body: activityBody({
        calls: calls.items,
        total: calls.total,
        offset,
        limit: PAGE,
        href: (next) => `${appPath(org.id, app.client_id)}/activity?offset=${next}`,
        failures,
        events: events.items,
      }),
    });
  });
}
