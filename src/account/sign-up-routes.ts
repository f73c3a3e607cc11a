import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { InvalidInputError } from '../accounts/errors.ts';
import { formBody } from '../http/form-body.ts';
import { isAppError } from '../lib/app-error.ts';
import { renderSignUp, type SignUpView } from '../web/views/sign-up.ts';
import { renderVerifyEmail } from '../web/views/verify-email.ts';
import { readSignUpForm } from './sign-up-form.ts';
import { currentUser, safeNext, signInBrowser, type AccountSessionDeps } from './session.ts';

type PageState = { csrfToken: string; requestId: string };
const HOME = '/account/verifications';

function formField(ctx: Context, name: string): string {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

const withNext = (path: string, next: string) => `${path}?${new URLSearchParams({ next }).toString()}`;

function showSignUp(ctx: Context, next: string, extra: Pick<SignUpView, 'values' | 'errors'> = {}) {
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderSignUp({
    action: withNext('/account/sign-up', next),
    csrfToken: (ctx.state as PageState).csrfToken,
    signInHref: withNext('/account/sign-in', next),
    ...extra,
  });
}

async function showConfirm(
  ctx: Context,
  deps: AccountSessionDeps,
  next: string,
  extra: { error?: string; notice?: string } = {},
) {
  const user = await currentUser(ctx, deps);
  if (user === undefined) return ctx.redirect(withNext('/account/sign-in', next));
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderVerifyEmail({
    action: withNext('/account/confirm-email', next),
    resendAction: withNext('/account/confirm-email/resend', next),
    csrfToken: (ctx.state as PageState).csrfToken,
    email: user.email,
    ...extra,
  });
}

/**
 * Creating an account outside a partner's sign-in (the developer console's sign-up): the same accounts, the
 * same email confirmation by code, then back to `next`.
 */
export function signUpRoutes(router: Router, deps: AccountSessionDeps, csrf: Middleware): void {
  const forms = [formBody(), csrf];
  const nextOf = (ctx: Context) => safeNext(ctx.query.next, HOME);

  router.get('/account/sign-up', csrf, async (ctx) => {
    if ((await currentUser(ctx, deps)) !== undefined) return ctx.redirect(nextOf(ctx));
    showSignUp(ctx, nextOf(ctx));
  });
  router.post('/account/sign-up', ...forms, async (ctx) => {
    const { values, input } = readSignUpForm((name) => formField(ctx, name));
    try {
      const user = await deps.accounts.signUp(input, {
        ip: ctx.ip,
        requestId: (ctx.state as PageState).requestId,
      });
      await signInBrowser(ctx, deps, user);
      ctx.redirect(withNext('/account/confirm-email', nextOf(ctx)));
      ctx.status = 303;
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      showSignUp(ctx, nextOf(ctx), {
        values,
        errors: error instanceof InvalidInputError ? error.fields : { form: error.message },
      });
      ctx.status = error.status;
    }
  });

  router.get('/account/confirm-email', csrf, async (ctx) => {
    const user = await currentUser(ctx, deps);
    if (user?.emailVerified === true) return ctx.redirect(nextOf(ctx));
    await showConfirm(ctx, deps, nextOf(ctx));
  });
  router.post('/account/confirm-email', ...forms, async (ctx) => {
    const user = await currentUser(ctx, deps);
    if (user === undefined) return ctx.redirect(withNext('/account/sign-in', nextOf(ctx)));
    try {
      await deps.accounts.confirmEmail(user.id, formField(ctx, 'code').trim(), { ip: ctx.ip });
      ctx.redirect(nextOf(ctx));
      ctx.status = 303;
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      await showConfirm(ctx, deps, nextOf(ctx), { error: error.message });
      ctx.status = error.status;
    }
  });
  router.post('/account/confirm-email/resend', ...forms, async (ctx) => {
    const user = await currentUser(ctx, deps);
    if (user === undefined) return ctx.redirect(withNext('/account/sign-in', nextOf(ctx)));
    try {
      await deps.accounts.sendEmailVerification(user.id);
      await showConfirm(ctx, deps, nextOf(ctx), { notice: 'We sent you a new code.' });
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      await showConfirm(ctx, deps, nextOf(ctx), { error: error.message });
      ctx.status = error.status;
    }
  });
}
