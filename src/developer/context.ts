import type { Context } from 'koa';
import { currentUser, type AccountSessionDeps } from '../account/session.ts';
import type { User } from '../accounts/account-service.ts';
import { isAppError, type AppError } from '../lib/app-error.ts';
import { invokeOperation, type OperationInput } from '../manage/invoke.ts';
import { findOperation } from '../manage/operations.ts';
import type { Services } from '../services.ts';
import type { ShownOnce } from './shown-once.ts';
import type { FlowStore } from '../demo/flow.ts';
import { consolePage, type ConsoleLink } from '../web/console-layout.ts';
import type { HtmlValue } from '../web/html.ts';

export interface DeveloperDeps extends AccountSessionDeps {
  services: Services;
  shownOnce: ShownOnce;
  /** Sign-ins started by "Test this app" for Vetted's own test callback (demo/flow.ts). */
  testFlows: FlowStore;
}

type PageState = { csrfToken: string; requestId: string };

export const DEVELOPER_HOME = '/developer';

export const orgPath = (orgId: string) => `${DEVELOPER_HOME}/orgs/${encodeURIComponent(orgId)}`;
export const appPath = (orgId: string, clientId: string) =>
  `${orgPath(orgId)}/apps/${encodeURIComponent(clientId)}`;

/** A path parameter of the route. */
export function param(ctx: Context, name: string): string {
  return (ctx as Context & { params?: Record<string, string | undefined> }).params?.[name] ?? '';
}

export function formField(ctx: Context, name: string): string {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** Every value of a repeated field (checkboxes). */
export function formValues(ctx: Context, name: string): string[] {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** A textarea of one value per line. */
export const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

export const csrfOf = (ctx: Context) => (ctx.state as PageState).csrfToken;

/** The signed-in developer; the guard in routes.ts has made sure there is one. */
export async function developer(ctx: Context, deps: DeveloperDeps): Promise<User> {
  const user = await currentUser(ctx, deps);
  if (user === undefined) throw new Error('the developer guard runs first');
  return user;
}

/** Runs a management operation as the signed-in developer: the console is a client of the same API. */
export async function call<T>(
  ctx: Context,
  deps: DeveloperDeps,
  operationId: string,
  input: OperationInput,
): Promise<T> {
  const user = await developer(ctx, deps);
  return (await invokeOperation(
    deps.services,
    findOperation(operationId),
    { kind: 'user', user },
    input,
  )) as T;
}

/** An error to show on the page (a 4xx AppError), or rethrown. */
export function shownError(error: unknown): AppError {
  if (isAppError(error) && error.status < 500) return error;
  throw error;
}

export async function render(
  ctx: Context,
  deps: DeveloperDeps,
  view: {
    title: string;
    body: HtmlValue;
    breadcrumbs?: ConsoleLink[];
    tabs?: ConsoleLink[];
    status?: number;
  },
): Promise<void> {
  const user = await developer(ctx, deps);
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  if (view.status !== undefined) ctx.status = view.status;
  ctx.body = consolePage({
    title: view.title,
    area: 'Developer console',
    email: user.email,
    csrfToken: csrfOf(ctx),
    sections: [
      { href: DEVELOPER_HOME, label: 'Organizations' },
      { href: '/account/verifications', label: 'My account' },
    ],
    current: ctx.path,
    body: view.body,
    ...(view.breadcrumbs === undefined ? {} : { breadcrumbs: view.breadcrumbs }),
    ...(view.tabs === undefined ? {} : { tabs: view.tabs }),
  });
}

/** What a redirect after a change says once; by key, so that a link cannot make the page say anything else. */
const notices = {
  saved: 'Your changes were saved.',
  logo: 'The logo was updated.',
  logo_removed: 'The logo was removed.',
  tester_removed: 'The test user was removed.',
  tester_invited:
    'Invitation sent, if the address belongs to a Vetted account. It shows as pending here until its owner accepts.',
  invitation_withdrawn_tester: 'The invitation was removed; its link no longer works.',
  requested: 'Production was requested. An administrator will review it.',
  disabled: 'The application was disabled: nobody can sign in to it, and its tokens stop working.',
  enabled: 'The application was enabled again.',
  deleted: 'The application was deleted.',
  invited: 'The invitation was sent.',
  invitation_revoked: 'The invitation was withdrawn.',
  role_changed: 'The role was changed.',
  member_removed: 'The member was removed.',
  key_revoked: 'The API key was revoked.',
  joined: 'You joined the organization.',
} as const;
export type NoticeKey = keyof typeof notices;

/** After a change: back to a page (303), which shows the notice once. */
export function redirectWithNotice(ctx: Context, path: string, notice: NoticeKey): void {
  ctx.redirect(`${path}?${new URLSearchParams({ notice }).toString()}`);
  ctx.status = 303;
}

export function noticeOf(ctx: Context): string | undefined {
  const key = ctx.query.notice;
  return typeof key === 'string' && Object.hasOwn(notices, key) ? notices[key as NoticeKey] : undefined;
}
