import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { requireSignIn } from '../account/routes.ts';
import { currentUser, type AccountSessionDeps } from '../account/session.ts';
import type { RoleService } from '../accounts/roles.ts';
import { formBody } from '../http/form-body.ts';
import { isAppError } from '../lib/app-error.ts';
import { defaultExpiry } from '../verification/lifecycle.ts';
import type { Reviewer, ReviewService } from '../verification/review.ts';
import { reviewReasons } from '../verification/review-reasons.ts';
import { renderError } from '../web/views/error.ts';
import { renderReviewAttempt, renderReviewQueue, waitingFor } from '../web/views/review.ts';

export interface ReviewRouteDeps extends AccountSessionDeps {
  review: ReviewService;
  roles: RoleService;
}

const PAGE_SIZE = 25;
type PageState = { csrfToken: string; requestId: string };

const day = (date: Date) => date.toISOString().slice(0, 10);

function formField(ctx: Context, name: string): string {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** Only reviewers (and administrators): anyone else signed in gets a 403 page. */
function requireReviewer(deps: ReviewRouteDeps): Middleware {
  return async (ctx, next) => {
    const user = await currentUser(ctx, deps);
    if (user === undefined || !(await deps.roles.hasRole(user.id, 'reviewer'))) {
      ctx.status = 403;
      ctx.type = 'html';
      ctx.body = renderError({
        status: 403,
        title: 'This area is for reviewers',
        message: 'Your account cannot review documents. Sign in with a reviewer account.',
        requestId: (ctx.state as PageState).requestId,
      });
      return;
    }
    // Nothing of the reviewer area may be kept by a browser or a proxy.
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}

async function reviewerOf(ctx: Context, deps: ReviewRouteDeps): Promise<Reviewer & { email: string }> {
  const user = await currentUser(ctx, deps);
  if (user === undefined) throw new Error('requireReviewer runs first');
  return {
    actor: { type: 'reviewer', id: user.id },
    origin: { ip: ctx.ip, requestId: (ctx.state as PageState).requestId },
    email: user.email,
  };
}

async function showAttempt(ctx: Context, deps: ReviewRouteDeps, id: string, error?: string): Promise<void> {
  const reviewer = await reviewerOf(ctx, deps);
  const attempt = await deps.review.open(id, reviewer);
  const { verification, community, user } = attempt;
  const documentEvidence = attempt.evidence.filter((item) => item.kind === 'document').at(-1);
  const documentType = community.documentTypes.find(
    (type) => type.handle === documentEvidence?.details.documentType,
  );
  const expiry = defaultExpiry(community, verification.subgroups, new Date());
  ctx.type = 'html';
  ctx.body = renderReviewAttempt({
    reviewerEmail: reviewer.email,
    csrfToken: (ctx.state as PageState).csrfToken,
    action: `/review/${encodeURIComponent(verification.id)}/decision`,
    version: verification.updatedAt.getTime(),
    person: {
      name: user === undefined ? '(deleted account)' : `${user.firstName} ${user.lastName}`,
      email: user?.email ?? '',
      emailVerified: user?.emailVerified ?? false,
      accountCreated: user === undefined ? '' : day(user.createdAt),
    },
    community: { name: community.name, subgroups: community.subgroups },
    claimed: verification.subgroups,
    documentType: documentType?.name ?? 'unknown document',
    submitted: verification.submittedAt?.toISOString().replace('T', ' ').slice(0, 16) ?? '',
    documents: attempt.documents
      .filter((document) => document.purgedAt === null)
      .map((document) => ({
        side: document.side === 'front' ? 'Front' : 'Back',
        src: `/review/${encodeURIComponent(verification.id)}/documents/${encodeURIComponent(document.id)}`,
        isPdf: document.contentType === 'application/pdf',
        width: document.width,
        height: document.height,
      })),
    signals: {
      duplicates: new Set(attempt.signals.duplicates.map((duplicate) => duplicate.userId)).size,
      ...(attempt.signals.sameDomainAccounts === undefined
        ? {}
        : { sameDomain: attempt.signals.sameDomainAccounts }),
    },
    reasons: reviewReasons,
    defaultExpiry: expiry === null ? '' : day(expiry),
    ...(error === undefined ? {} : { error }),
  });
}

/** The reviewer area: the queue, one attempt with its images, and the decisions. */
export function reviewRoutes(router: Router, deps: ReviewRouteDeps, csrf: Middleware): void {
  const guard = [requireSignIn(deps), requireReviewer(deps)];

  router.get('/review', csrf, ...guard, async (ctx) => {
    const reviewer = await reviewerOf(ctx, deps);
    const pageNumber = Math.max(1, Math.min(10_000, Number.parseInt(String(ctx.query.page ?? '1'), 10) || 1));
    const { total, items } = await deps.review.queue({
      limit: PAGE_SIZE,
      offset: (pageNumber - 1) * PAGE_SIZE,
    });
    const decided = typeof ctx.query.decided === 'string' ? ctx.query.decided : undefined;
    ctx.type = 'html';
    ctx.body = renderReviewQueue({
      reviewerEmail: reviewer.email,
      csrfToken: (ctx.state as PageState).csrfToken,
      total,
      items: items.map((item) => ({
        href: `/review/${encodeURIComponent(item.verification.id)}`,
        name: item.user === undefined ? '(deleted account)' : `${item.user.firstName} ${item.user.lastName}`,
        email: item.user?.email ?? '',
        community: item.community?.name ?? item.verification.community,
        subgroups: item.verification.subgroups,
        status: item.verification.status,
        waiting: waitingFor(item.waitingMs),
      })),
      ...(pageNumber > 1 ? { previousHref: `/review?page=${pageNumber - 1}` } : {}),
      ...(pageNumber * PAGE_SIZE < total ? { nextHref: `/review?page=${pageNumber + 1}` } : {}),
      ...(decided === undefined ? {} : { notice: `Decision recorded: ${decided}.` }),
    });
  });

  router.get('/review/:id', csrf, ...guard, async (ctx) => {
    await showAttempt(ctx, deps, ctx.params.id ?? '');
  });

  router.get('/review/:id/documents/:documentId', ...guard, async (ctx) => {
    const image = await deps.review
      .documentImage(ctx.params.id ?? '', ctx.params.documentId ?? '', await reviewerOf(ctx, deps))
      .catch((error: unknown) => {
        if (isAppError(error) && error.code === 'verification.not_found') return undefined;
        throw error;
      });
    if (image === undefined) return; // 404 from the error handler
    ctx.type = image.document.contentType;
    // PDFs are downloaded rather than rendered on Vetted's origin.
    if (image.document.contentType === 'application/pdf') {
      ctx.set('Content-Disposition', `attachment; filename="${image.document.side}.pdf"`);
    }
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    ctx.body = image.bytes;
  });

  router.post('/review/:id/decision', formBody(), csrf, ...guard, async (ctx) => {
    const id = ctx.params.id ?? '';
    const reviewer = await reviewerOf(ctx, deps);
    const decision = formField(ctx, 'decision');
    const version = Number(formField(ctx, 'version'));
    const seen = Number.isSafeInteger(version) && version > 0 ? { expectedUpdatedAt: new Date(version) } : {};
    try {
      if (decision === 'approve') {
        const expires = formField(ctx, 'expires');
        const expiresAt = expires === '' ? null : new Date(`${expires}T23:59:59Z`);
        if (expiresAt !== null && Number.isNaN(expiresAt.getTime())) throw new Error('bad date');
        await deps.review.approve(
          id,
          { subgroups: [formField(ctx, 'subgroup')], expiresAt, ...seen },
          reviewer,
        );
      } else if (decision === 'reject' || decision === 'resubmit') {
        const input = {
          reasonCode: formField(ctx, 'reason'),
          note: formField(ctx, 'note').trim().slice(0, 500),
          ...seen,
        };
        if (decision === 'reject') await deps.review.reject(id, input, reviewer);
        else await deps.review.requestResubmission(id, input, reviewer);
      } else {
        ctx.status = 400;
        await showAttempt(ctx, deps, id, 'Choose a decision.');
        return;
      }
    } catch (error) {
      if (error instanceof Error && error.message === 'bad date') {
        ctx.status = 400;
        return showAttempt(ctx, deps, id, 'Give the end date as a date, or leave it empty.');
      }
      if (!isAppError(error) || error.status >= 500 || error.code === 'verification.not_found') throw error;
      ctx.status = error.status;
      return showAttempt(ctx, deps, id, error.message);
    }
    ctx.redirect(
      `/review?decided=${encodeURIComponent(decision === 'resubmit' ? 'another document requested' : decision === 'approve' ? 'approved' : 'rejected')}`,
    );
    ctx.status = 303;
  });
}
