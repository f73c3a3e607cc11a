import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { RetryLaterError } from '../accounts/errors.ts';
import { formBody } from '../http/form-body.ts';
import { isAppError } from '../lib/app-error.ts';
import type { CommunityService } from '../verification/community-service.ts';
import { reasonLabel } from '../verification/review-reasons.ts';
import type { VerificationService } from '../verification/verification-service.ts';
import { renderMyVerifications, type DocumentAccessItem } from '../web/views/my-verifications.ts';
import { renderSignIn } from '../web/views/sign-in.ts';
import { deviceCookieOf, setDeviceCookie } from './device-cookie.ts';
import { currentUser, safeNext, signInBrowser, signOutBrowser, type AccountSessionDeps } from './session.ts';

export interface AccountRouteDeps extends AccountSessionDeps {
  verification: VerificationService;
  communities: CommunityService;
  /** How many documents each verification keeps. */
  documentCount(verificationId: string): Promise<number>;
  /** The latest fetches of the user's document images by applications (document passback). */
  documentAccesses?(userId: string): Promise<DocumentAccessItem[]>;
}

const HOME = '/account/verifications';
type PageState = { csrfToken: string; requestId: string };

function formField(ctx: Context, name: string): string {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

function showSignIn(
  ctx: Context,
  extra: { email?: string; error?: string; next?: string; notice?: string } = {},
) {
  const next = safeNext(extra.next ?? ctx.query.next, HOME);
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderSignIn({
    title: 'Sign in to your account',
    action: `/account/sign-in?${new URLSearchParams({ next }).toString()}`,
    signUpHref: `/account/sign-up?${new URLSearchParams({ next }).toString()}`,
    csrfToken: (ctx.state as PageState).csrfToken,
    ...(extra.email === undefined ? {} : { email: extra.email }),
    ...(extra.error === undefined ? {} : { error: extra.error }),
    ...(extra.notice === undefined ? {} : { notice: extra.notice }),
  });
}

/** Requires a signed-in browser: others are sent to sign in and brought back. */
export function requireSignIn(deps: AccountSessionDeps): Middleware {
  return async (ctx, next) => {
    if ((await currentUser(ctx, deps)) === undefined) {
      ctx.set('Cache-Control', 'no-store');
      ctx.redirect(`/account/sign-in?${new URLSearchParams({ next: ctx.originalUrl }).toString()}`);
      return;
    }
    await next();
  };
}

/** The user's own pages: sign in and out, and "My verifications" (users own their data). */
export function accountRoutes(router: Router, deps: AccountRouteDeps, csrf: Middleware): void {
  const forms = [formBody(), csrf];
  const signedIn = requireSignIn(deps);

  router.get('/account', (ctx) => ctx.redirect(HOME));
  router.get('/account/sign-in', csrf, async (ctx) => {
    if ((await currentUser(ctx, deps)) !== undefined) return ctx.redirect(safeNext(ctx.query.next, HOME));
    showSignIn(ctx);
  });
  router.post('/account/sign-in', ...forms, async (ctx) => {
    const email = formField(ctx, 'email');
    try {
      const user = await deps.accounts.authenticate(
        email,
        formField(ctx, 'password'),
        { ip: ctx.ip, requestId: (ctx.state as PageState).requestId },
        { deviceCookie: deviceCookieOf(ctx) },
      );
      setDeviceCookie(ctx, deps.accounts.issueDeviceCookie(user.id), deps.secure);
      await signInBrowser(ctx, deps, user);
      ctx.redirect(safeNext(ctx.query.next, HOME));
      ctx.status = 303;
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      ctx.status = error instanceof RetryLaterError ? 429 : 401;
      if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      showSignIn(ctx, { email, error: error.message });
    }
  });
  router.post('/account/sign-out', ...forms, async (ctx) => {
    await signOutBrowser(ctx, deps);
    ctx.redirect('/account/sign-in');
    ctx.status = 303;
  });

  router.get(HOME, csrf, signedIn, async (ctx) => {
    const user = await currentUser(ctx, deps);
    if (user === undefined) return;
    const verifications = await deps.verification.listForUser(user.id);
    const communities = new Map(
      (await deps.communities.list()).map((community) => [community.handle, community]),
    );
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = renderMyVerifications({
      email: user.email,
      csrfToken: (ctx.state as PageState).csrfToken,
      signOutAction: '/account/sign-out',
      deleteAction: (id) => `${HOME}/${encodeURIComponent(id)}/delete`,
      ...(ctx.query.deleted === '1' ? { notice: 'The verification and its documents were deleted.' } : {}),
      ...(deps.documentAccesses === undefined
        ? {}
        : { documentAccesses: await deps.documentAccesses(user.id) }),
      items: await Promise.all(
        verifications.map(async (item) => {
          const reason = reasonLabel(item.reasonCode);
          return {
            id: item.id,
            communityName: communities.get(item.community)?.name ?? item.community,
            subgroups: item.subgroups,
            status: item.effectiveStatus,
            method: item.method,
            createdAt: item.createdAt,
            verifiedAt: item.verifiedAt,
            expiresAt: item.expiresAt,
            documentCount: await deps.documentCount(item.id),
            ...(reason === undefined ? {} : { reason }),
          };
        }),
      ),
    });
  });
  router.post(`${HOME}/:id/delete`, ...forms, signedIn, async (ctx) => {
    const user = await currentUser(ctx, deps);
    if (user === undefined) return;
    // Someone else's id is answered like an unknown one: a 404 page from the error handler.
    const verification = await deps.verification.findOwn(user.id, ctx.params.id ?? '');
    await deps.verification.remove(verification.id, {
      actor: { type: 'user', id: user.id },
      origin: { ip: ctx.ip, requestId: (ctx.state as PageState).requestId },
    });
    ctx.redirect(`${HOME}?deleted=1`);
    ctx.status = 303;
  });
}
