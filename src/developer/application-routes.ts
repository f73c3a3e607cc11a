import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { multipartForm, type MultipartState } from '../http/multipart.ts';
import { csrfCookieName } from '../http/csrf.ts';
import type { AppError } from '../lib/app-error.ts';
import type { ApplicationView, OrganizationView } from '../manage/schemas.ts';
import {
  brandingBody,
  dangerBody,
  settingsBody,
  type Errors,
  type SettingsField,
} from '../web/views/developer/application-settings.ts';
import { html } from '../web/html.ts';
import { loadApplication, renderAppPage, showCredentials, type RouteKit } from './application-pages.ts';
import {
  appPath,
  call,
  csrfOf,
  developer,
  formField,
  formValues,
  lines,
  noticeOf,
  orgPath,
  redirectWithNotice,
  shownError,
  type DeveloperDeps,
} from './context.ts';
import { sandboxRoutes } from './sandbox-routes.ts';

/** Which settings field an error belongs to (the rest go to the form's summary). */
function settingsFieldOf(error: AppError, postLogout: string[]): SettingsField | 'form' {
  switch (error.code) {
    case 'partners.name_invalid':
      return 'name';
    case 'partners.display_name_invalid':
      return 'display_name';
    case 'partners.redirect_uri_required':
      return 'redirect_uris';
    case 'partners.redirect_uri_invalid':
      return postLogout.some((uri) => error.message.includes(JSON.stringify(uri)))
        ? 'post_logout_redirect_uris'
        : 'redirect_uris';
    case 'partners.post_logout_redirect_uri_invalid':
      return 'post_logout_redirect_uris';
    case 'partners.url_invalid':
      return error.message.includes('privacy') ? 'privacy_policy_url' : 'terms_url';
    case 'partners.color_invalid':
      return 'primary_color';
    case 'partners.response_type_invalid':
    case 'partners.response_type_required':
    case 'partners.implicit_not_enabled':
      return 'response_types';
    case 'partners.scope_unknown':
      return 'requested_scopes';
    case 'partners.attribute_unavailable':
      return 'released_attributes';
    default:
      return 'form';
  }
}

export function applicationRoutes(router: Router, deps: DeveloperDeps, kit: RouteKit): void {
  const { forms, guard, csrf } = kit;
  const base = '/developer/orgs/:orgId/apps/:clientId';
  const logoForm = multipartForm({
    maxFileBytes: 512 * 1024,
    maxFiles: 1,
    maxRequestBytes: 512 * 1024 + 64 * 1024,
    maxConcurrent: 8,
    admit: (ctx) => ctx.cookies.get(csrfCookieName) !== undefined,
    refuse: (ctx, status, message) => {
      ctx.status = status;
      ctx.type = 'text';
      ctx.body = message;
    },
  });

  async function context(ctx: Context) {
    const org = await kit.organizationOf(ctx, deps);
    return { org, app: await loadApplication(ctx, deps, org) };
  }

  async function communities() {
    return (await deps.services.communities.list()).map((community) => ({
      handle: community.handle,
      name: community.name,
      attributes: community.attributeDefinitions.map((definition) => ({
        handle: definition.handle,
        name: definition.name,
      })),
    }));
  }

  async function showSettings(
    ctx: Context,
    org: OrganizationView,
    app: ApplicationView,
    extra: {
      values?: Partial<Record<SettingsField, string | string[]>>;
      errors?: Errors<SettingsField>;
      confirm?: string;
      deleteError?: string;
    } = {},
  ) {
    const path = appPath(org.id, app.client_id);
    await renderAppPage(ctx, deps, org, app, {
      body: html`${settingsBody({
        app,
        action: `${path}/settings`,
        csrfToken: csrfOf(ctx),
        communities: await communities(),
        notice: noticeOf(ctx),
        ...(extra.values === undefined ? {} : { values: extra.values }),
        ...(extra.errors === undefined ? {} : { errors: extra.errors }),
      })}
      ${dangerBody({
        app,
        statusAction: `${path}/status`,
        deleteAction: `${path}/delete`,
        csrfToken: csrfOf(ctx),
        ...(extra.confirm === undefined ? {} : { confirm: extra.confirm }),
        ...(extra.deleteError === undefined ? {} : { error: extra.deleteError }),
      })}`,
      ...(extra.errors !== undefined || extra.deleteError !== undefined ? { status: 400 } : {}),
    });
  }

  router.get(base, csrf, ...guard, async (ctx) => {
    const { org, app } = await context(ctx);
    await showSettings(ctx, org, app);
  });
  router.post(`${base}/settings`, ...forms, async (ctx) => {
    const { org, app } = await context(ctx);
    const values = {
      name: formField(ctx, 'name'),
      display_name: formField(ctx, 'display_name'),
      redirect_uris: formField(ctx, 'redirect_uris'),
      post_logout_redirect_uris: formField(ctx, 'post_logout_redirect_uris'),
      requested_scopes: formValues(ctx, 'requested_scopes'),
      response_types: formValues(ctx, 'response_types'),
      released_attributes: formValues(ctx, 'released_attributes'),
      privacy_policy_url: formField(ctx, 'privacy_policy_url'),
      terms_url: formField(ctx, 'terms_url'),
      primary_color: formField(ctx, 'primary_color'),
    };
    const orNull = (text: string) => (text.trim() === '' ? null : text);
    try {
      await call(ctx, deps, 'updateApplication', {
        params: { organizationId: org.id, clientId: app.client_id },
        body: {
          name: values.name,
          display_name: orNull(values.display_name),
          redirect_uris: lines(values.redirect_uris),
          post_logout_redirect_uris: lines(values.post_logout_redirect_uris),
          requested_scopes: values.requested_scopes,
          // Only offered once an administrator enabled the implicit flow; otherwise the code flow stays.
          ...(app.features.implicit_flow ? { response_types: values.response_types } : {}),
          released_attributes: values.released_attributes,
          privacy_policy_url: orNull(values.privacy_policy_url),
          terms_url: orNull(values.terms_url),
          primary_color: orNull(values.primary_color),
          ...(formField(ctx, 'updated_at') === ''
            ? {}
            : { if_unmodified_since: formField(ctx, 'updated_at') }),
        },
      });
      redirectWithNotice(ctx, appPath(org.id, app.client_id), 'saved');
    } catch (error) {
      const shown = shownError(error);
      const field = settingsFieldOf(shown, lines(values.post_logout_redirect_uris));
      const fresh = shown.code === 'partners.conflict' ? await loadApplication(ctx, deps, org) : app;
      await showSettings(ctx, org, fresh, { values, errors: { [field]: shown.message } });
    }
  });
  router.post(`${base}/status`, ...forms, async (ctx) => {
    const { org, app } = await context(ctx);
    const status = formField(ctx, 'status') === 'active' ? 'active' : 'disabled';
    await call(ctx, deps, 'setApplicationStatus', {
      params: { organizationId: org.id, clientId: app.client_id },
      body: { status },
    });
    redirectWithNotice(ctx, appPath(org.id, app.client_id), status === 'active' ? 'enabled' : 'disabled');
  });
  // A notice dismissed meanwhile (by another member, in another tab) is gone either way.
  router.post(`${base}/notices/:noticeId/dismiss`, ...forms, async (ctx) => {
    const { org, app } = await context(ctx);
    try {
      await call(ctx, deps, 'dismissNotice', {
        params: { organizationId: org.id, clientId: app.client_id, noticeId: ctx.params.noticeId ?? '' },
      });
    } catch (error) {
      if (shownError(error).code !== 'partners.notice_not_found') throw error;
    }
    ctx.redirect(appPath(org.id, app.client_id));
    ctx.status = 303;
  });
  router.post(`${base}/delete`, ...forms, async (ctx) => {
    const { org, app } = await context(ctx);
    const confirm = formField(ctx, 'confirm');
    if (confirm.trim() !== app.name) {
      await showSettings(ctx, org, app, {
        confirm,
        deleteError: `Type ${app.name} exactly to delete the application.`,
      });
      return;
    }
    try {
      await call(ctx, deps, 'deleteApplication', {
        params: { organizationId: org.id, clientId: app.client_id },
      });
      redirectWithNotice(ctx, orgPath(org.id), 'deleted');
    } catch (error) {
      await showSettings(ctx, org, app, { confirm, deleteError: shownError(error).message });
    }
  });

  router.get(`${base}/credentials`, csrf, ...guard, async (ctx) => {
    const { org, app } = await context(ctx);
    const secret = deps.shownOnce.take(ctx, (await developer(ctx, deps)).id, ctx.path);
    await showCredentials(ctx, deps, org, app, secret);
  });
  router.post(`${base}/credentials/rotate`, ...forms, async (ctx) => {
    const { org, app } = await context(ctx);
    const hours = Number.parseInt(formField(ctx, 'overlap_hours'), 10);
    try {
      const rotated = await call<{ client_secret: string }>(ctx, deps, 'rotateSecret', {
        params: { organizationId: org.id, clientId: app.client_id },
        body: { overlap_seconds: Number.isFinite(hours) ? hours * 3600 : undefined },
      });
      const credentials = `${appPath(org.id, app.client_id)}/credentials`;
      deps.shownOnce.stash(ctx, (await developer(ctx, deps)).id, credentials, rotated.client_secret);
      ctx.redirect(credentials);
      ctx.status = 303;
    } catch (error) {
      await showCredentials(ctx, deps, org, app, undefined, shownError(error).message);
      ctx.status = 400;
    }
  });

  async function showBranding(ctx: Context, org: OrganizationView, app: ApplicationView, error?: string) {
    const path = appPath(org.id, app.client_id);
    await renderAppPage(ctx, deps, org, app, {
      body: brandingBody({
        app,
        uploadAction: `${path}/branding/logo`,
        removeAction: `${path}/branding/logo/delete`,
        csrfToken: csrfOf(ctx),
        notice: noticeOf(ctx),
        ...(error === undefined ? {} : { error }),
      }),
      ...(error === undefined ? {} : { status: 400 }),
    });
  }
  router.get(`${base}/branding`, csrf, ...guard, async (ctx) => {
    const { org, app } = await context(ctx);
    await showBranding(ctx, org, app);
  });
  router.post(`${base}/branding/logo`, ...guard, logoForm, csrf, async (ctx) => {
    const { org, app } = await context(ctx);
    const file = (ctx.state as MultipartState).files.get('logo');
    if (file === undefined) return showBranding(ctx, org, app, 'Choose a logo file to upload.');
    if (file.tooLarge) return showBranding(ctx, org, app, 'The logo file is larger than 512 KB.');
    try {
      await call(ctx, deps, 'uploadLogo', {
        params: { organizationId: org.id, clientId: app.client_id },
        body: file.bytes,
      });
      redirectWithNotice(ctx, `${appPath(org.id, app.client_id)}/branding`, 'logo');
    } catch (error) {
      await showBranding(ctx, org, app, shownError(error).message);
    }
  });
  router.post(`${base}/branding/logo/delete`, ...forms, async (ctx) => {
    const { org, app } = await context(ctx);
    await call(ctx, deps, 'deleteLogo', { params: { organizationId: org.id, clientId: app.client_id } });
    redirectWithNotice(ctx, `${appPath(org.id, app.client_id)}/branding`, 'logo_removed');
  });

  sandboxRoutes(router, deps, kit, { context });
}

export type AppContext = (ctx: Context) => Promise<{ org: OrganizationView; app: ApplicationView }>;
