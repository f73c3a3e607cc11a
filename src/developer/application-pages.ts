import type { Context, Middleware } from 'koa';
import type { ApplicationView, OrganizationView, SecretView } from '../manage/schemas.ts';
import type { ConsoleLink } from '../web/console-layout.ts';
import type { HtmlValue } from '../web/html.ts';
import { credentialsBody } from '../web/views/developer/application-settings.ts';
import { noticesBody, type NoticeItem } from '../web/views/developer/notices.ts';
import { html } from '../web/html.ts';
import {
  appPath,
  call,
  csrfOf,
  DEVELOPER_HOME,
  orgPath,
  param,
  render,
  type DeveloperDeps,
} from './context.ts';

/** What the route files share: middleware stacks and the organization of the path. */
export interface RouteKit {
  forms: Middleware[];
  guard: Middleware[];
  csrf: Middleware;
  organizationOf(ctx: Context, deps: DeveloperDeps): Promise<OrganizationView>;
}

/** The tabs of an application's pages. */
export function appNavigation(orgId: string, clientId: string): ConsoleLink[] {
  const base = appPath(orgId, clientId);
  return [
    { href: base, label: 'Settings' },
    { href: `${base}/credentials`, label: 'Credentials' },
    { href: `${base}/branding`, label: 'Branding' },
    { href: `${base}/sandbox`, label: 'Sandbox' },
    { href: `${base}/production`, label: 'Production' },
    { href: `${base}/integration`, label: 'Integration' },
    { href: `${base}/activity`, label: 'Activity' },
  ];
}

export async function loadApplication(ctx: Context, deps: DeveloperDeps, org: OrganizationView) {
  return call<ApplicationView>(ctx, deps, 'getApplication', {
    params: { organizationId: org.id, clientId: param(ctx, 'clientId') },
  });
}

/** Renders one tab of an application's pages. */
export async function renderAppPage(
  ctx: Context,
  deps: DeveloperDeps,
  org: OrganizationView,
  app: ApplicationView,
  view: { body: HtmlValue; status?: number },
): Promise<void> {
  const { items: notices } = await call<{ items: NoticeItem[] }>(ctx, deps, 'listNotices', {
    params: { organizationId: org.id, clientId: app.client_id },
  });
  const notes = noticesBody({
    notices,
    dismissAction: (id) => `${appPath(org.id, app.client_id)}/notices/${encodeURIComponent(id)}/dismiss`,
    csrfToken: csrfOf(ctx),
    canDismiss: org.role !== 'viewer',
  });
  await render(ctx, deps, {
    title: app.display_name ?? app.name,
    breadcrumbs: [
      { href: DEVELOPER_HOME, label: 'Organizations' },
      { href: orgPath(org.id), label: org.name },
    ],
    tabs: appNavigation(org.id, app.client_id),
    body: html`${notes}${view.body}`,
    ...(view.status === undefined ? {} : { status: view.status }),
  });
}

export async function showCredentials(
  ctx: Context,
  deps: DeveloperDeps,
  org: OrganizationView,
  app: ApplicationView,
  newSecret?: string,
  error?: string,
): Promise<void> {
  const { items } = await call<{ items: SecretView[] }>(ctx, deps, 'listSecrets', {
    params: { organizationId: org.id, clientId: app.client_id },
  });
  await renderAppPage(ctx, deps, org, app, {
    body: credentialsBody({
      app,
      secrets: items,
      ...(newSecret === undefined ? {} : { newSecret }),
      rotateAction: `${appPath(org.id, app.client_id)}/credentials/rotate`,
      csrfToken: csrfOf(ctx),
      discoveryUrl: `${deps.services.config.issuer}/.well-known/openid-configuration`,
      ...(error === undefined ? {} : { error }),
    }),
  });
}
