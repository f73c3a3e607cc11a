import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { InvalidInputError, RetryLaterError } from '../accounts/errors.ts';
import { rotateCsrfSecret } from '../http/csrf.ts';
import { formBody } from '../http/form-body.ts';
import { isAppError } from '../lib/app-error.ts';
import { renderSignUp, type SignUpView } from '../web/views/sign-up.ts';
import { renderVerifyEmail } from '../web/views/verify-email.ts';
import {
  forgetSignUp,
  pendingSignUpOf,
  rememberSignUp,
  type PendingSignUpCookies,
} from './pending-sign-up.ts';
import { readSignUpForm } from './sign-up-form.ts';
import { currentUser, safeNext, signInBrowser, type AccountSessionDeps } from './session.ts';

export interface SignUpRouteDeps extends AccountSessionDeps {
  pendingSignUps: PendingSignUpCookies;
}

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

/**
 * Whose email the code page confirms: the signed-in user's (signed in before confirming), else the sign-up
 * this browser started (a new account's or a decoy's: the same to the visitor).
 */
async function confirming(ctx: Context, deps: SignUpRouteDeps) {
  const user = await currentUser(ctx, deps);
  if (user !== undefined)
    return { id: user.id, email: user.email, verified: user.emailVerified, signedIn: true };
  const pendingId = pendingSignUpOf(ctx, deps.pendingSignUps);
  const pending = pendingId === undefined ? undefined : await deps.accounts.pendingSignUp(pendingId);
  return pending === undefined ? undefined : { ...pending, verified: false, signedIn: false };
}

async function showConfirm(
  ctx: Context,
  deps: SignUpRouteDeps,
  next: string,
  extra: { error?: string; notice?: string } = {},
) {
  const target = await confirming(ctx, deps);
  if (target === undefined) return ctx.redirect(withNext('/account/sign-in', next));
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderVerifyEmail({
    action: withNext('/account/confirm-email', next),
    resendAction: withNext('/account/confirm-email/resend', next),
    csrfToken: (ctx.state as PageState).csrfToken,
    email: target.email,
    ...extra,
  });
}

/**
 * Creating an account outside a partner's sign-in (the developer console's sign-up): the same accounts, the
 * same email confirmation by code, then signed in and back to `next`. The answer never tells whether the
 * address already had an account (accounts/sign-up-decoys.ts).
 */
export function signUpRoutes(router: Router, deps: SignUpRouteDeps, csrf: Middleware): void {
  const forms = [formBody(), csrf];
  const nextOf = (ctx: Context) => safeNext(ctx.query.next, HOME);

  router.get('/account/sign-up', csrf, async (ctx) => {
    if ((await currentUser(ctx, deps)) !== undefined) return ctx.redirect(nextOf(ctx));
    showSignUp(ctx, nextOf(ctx));
  });
  router.post('/account/sign-up', ...forms, async (ctx) => {
    const { values, input } = readSignUpForm((name) => formField(ctx, name));
    try {
      // A registered address is answered as a new one: its pending id is a decoy's, its owner gets a mail.
      const pending = await deps.accounts.signUp(input, {
        ip: ctx.ip,
        requestId: (ctx.state as PageState).requestId,
      });
      rememberSignUp(ctx, deps.pendingSignUps, pending.id);
      ctx.redirect(withNext('/account/confirm-email', nextOf(ctx)));
      ctx.status = 303;
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
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
    const target = await confirming(ctx, deps);
    if (target === undefined) return ctx.redirect(withNext('/account/sign-in', nextOf(ctx)));
    try {
      // A decoy's code never matches: only the owner of a new account's address gets signed in here.
      const user = await deps.accounts.confirmEmail(target.id, formField(ctx, 'code').trim(), { ip: ctx.ip });
      if (target.signedIn) rotateCsrfSecret(ctx);
      else await signInBrowser(ctx, deps, user);
      forgetSignUp(ctx, deps.pendingSignUps);
      ctx.redirect(nextOf(ctx));
      ctx.status = 303;
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      await showConfirm(ctx, deps, nextOf(ctx), { error: error.message });
      ctx.status = error.status;
    }
  });
  router.post('/account/confirm-email/resend', ...forms, async (ctx) => {
    const target = await confirming(ctx, deps);
    if (target === undefined) return ctx.redirect(withNext('/account/sign-in', nextOf(ctx)));
    try {
      await deps.accounts.sendEmailVerification(target.id);
      await showConfirm(ctx, deps, nextOf(ctx), { notice: 'We sent you a new code.' });
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      await showConfirm(ctx, deps, nextOf(ctx), { error: error.message });
      ctx.status = error.status;
    }
  });
}
