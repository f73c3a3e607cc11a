import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { User } from '../accounts/account-service.ts';
import { formBody } from '../http/form-body.ts';
import { isAppError } from '../lib/app-error.ts';
import type { TestInvitationService } from '../partners/test-invitations.ts';
import type { TestUserService } from '../partners/test-users.ts';
import { renderTestInvitation, renderTestInvitationProblem } from '../web/views/test-invitation.ts';
import { requireSignIn } from './routes.ts';
import { currentUser, type AccountSessionDeps } from './session.ts';

export interface TestInvitationDeps extends AccountSessionDeps {
  testInvitations: TestInvitationService;
  testUsers: TestUserService;
}

/** The path of the link mailed to an account's owner (its token is masked in the access log: logged-path.ts). */
export const TEST_INVITATION_PATH = '/account/test-invitations/:token';
const APPS = '/account/apps';
type PageState = { csrfToken: string };

function formField(ctx: Context, name: string): string {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

function html(ctx: Context, status: number, body: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}

/** A refused link (404, 403, 410) gets a page that says why; other errors go to the error handler. */
function problem(ctx: Context, user: User, error: unknown): void {
  if (!isAppError(error) || error.status >= 500) throw error;
  const csrfToken = (ctx.state as PageState).csrfToken;
  html(
    ctx,
    error.status,
    renderTestInvitationProblem({ message: error.message, email: user.email, csrfToken }),
  );
}

/**
 * Invitations to be a test user of a sandbox application: the owner of the invited account, signed in as that
 * account, accepts (choosing the name the partner sees) or declines; and leaves an application later.
 */
export function testInvitationRoutes(router: Router, deps: TestInvitationDeps, csrf: Middleware): void {
  const signedIn = requireSignIn(deps);
  const token = (ctx: Context) => (ctx.params as Record<string, string | undefined>).token ?? '';

  async function show(
    ctx: Context,
    user: User,
    extra: {
      status?: number;
      choice?: 'first' | 'other';
      name?: string;
      error?: string;
      formError?: string;
    } = {},
  ) {
    const invitation = await deps.testInvitations.open(token(ctx), user);
    const { status = 200, ...form } = extra;
    html(
      ctx,
      status,
      renderTestInvitation({
        ...invitation,
        email: user.email,
        firstName: user.firstName,
        action: ctx.path,
        csrfToken: (ctx.state as PageState).csrfToken,
        ...form,
      }),
    );
  }

  router.get(TEST_INVITATION_PATH, csrf, signedIn, async (ctx) => {
    const user = await currentUser(ctx, deps);
    if (user === undefined) return;
    try {
      await show(ctx, user);
    } catch (error) {
      problem(ctx, user, error);
    }
  });

  router.post(TEST_INVITATION_PATH, formBody(), csrf, signedIn, async (ctx) => {
    const user = await currentUser(ctx, deps);
    if (user === undefined) return;
    const decision = formField(ctx, 'decision');
    try {
      if (decision === 'decline') {
        await deps.testInvitations.decline(token(ctx), user);
        ctx.redirect(`${APPS}?testing=declined`);
        ctx.status = 303;
        return;
      }
      if (decision !== 'accept') {
        return await show(ctx, user, { status: 400, formError: 'Choose Accept or Decline.' });
      }
      const choice = formField(ctx, 'name_choice') === 'other' ? 'other' : 'first';
      const name = formField(ctx, 'name');
      try {
        await deps.testInvitations.accept(
          token(ctx),
          user,
          choice === 'other' ? { kind: 'other', name } : { kind: 'first' },
        );
      } catch (error) {
        if (!isAppError(error) || error.code !== 'partners.shown_name_invalid') throw error;
        return await show(ctx, user, { status: 400, choice, name, error: error.message });
      }
      ctx.redirect(`${APPS}?testing=accepted`);
      ctx.status = 303;
    } catch (error) {
      problem(ctx, user, error);
    }
  });

  router.post(`${APPS}/testing/:clientId/leave`, formBody(), csrf, signedIn, async (ctx) => {
    const user = await currentUser(ctx, deps);
    if (user === undefined) return;
    // An application the user does not test is answered like an unknown page (404).
    if (!(await deps.testUsers.leave(user.id, ctx.params.clientId ?? ''))) return;
    ctx.redirect(`${APPS}?testing=left`);
    ctx.status = 303;
  });
}
