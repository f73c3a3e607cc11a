import type { Context } from 'koa';
import { RetryLaterError } from '../accounts/errors.ts';
import type { UploadedFile } from '../http/multipart.ts';
import { isAppError, type AppError } from '../lib/app-error.ts';
import type { VerifyContext } from '../verification/engine.ts';
import { awaitingReview } from '../verification/state.ts';
import type { Community, Verification } from '../verification/types.ts';
import { renderVerifyChoose } from '../web/views/verify-choose.ts';
import { renderVerifyCode, renderVerifyDocument, renderVerifyPending } from '../web/views/verify-steps.ts';
import { finish, type InteractionContext, type InteractionDeps } from './context.ts';
import { deferredCommunities } from './verify-state.ts';
import { shownName } from '../partners/application.ts';

/** The verify step's pages and what they share: the community asked for, and how each page is shown. */
export type PageState = { csrfToken: string; requestId: string; files?: ReadonlyMap<string, UploadedFile> };

export const client = (interaction: InteractionContext) => ({
  name: shownName(interaction.application),
  ...(interaction.application.logoUrl ? { logoUri: interaction.application.logoUrl } : {}),
});

/** The community this verify step is about: the first requested one the user is neither verified for nor skipped. */
export async function pendingCommunity(
  interaction: InteractionContext,
  deps: InteractionDeps,
): Promise<{ context: VerifyContext; community: Community } | undefined> {
  const accountId = interaction.details.session?.accountId;
  if (accountId === undefined) return undefined;
  const user = await deps.accounts.findById(accountId);
  if (user === undefined) return undefined;
  const scopes = scopesOf(interaction);
  const skipped = deferredCommunities(interaction.details);
  const unverified = await deps.verification.unverifiedCommunities(
    user.id,
    scopes,
    interaction.application.mode,
  );
  const community = unverified.find((candidate) => !skipped.includes(candidate.handle));
  if (community === undefined) return undefined;
  return {
    community,
    context: {
      community,
      person: {
        userId: user.id,
        email: user.email,
        emailVerified: user.emailVerified,
        firstName: user.firstName,
        lastName: user.lastName,
        testPersona: user.testPersona,
      },
      applicationId: interaction.application.id,
    },
  };
}

export function scopesOf(interaction: InteractionContext): string[] {
  const scope = interaction.params.scope;
  return typeof scope === 'string' ? scope.split(' ') : [];
}

export function origin(ctx: Context) {
  return { ip: ctx.ip, requestId: (ctx.state as PageState).requestId };
}

export function failWith(ctx: Context, error: unknown): AppError {
  if (!isAppError(error) || error.status >= 500) throw error;
  ctx.status = error.status;
  if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
  return error;
}

export async function showChoose(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
  target: { context: VerifyContext; community: Community },
  extra: {
    errors?: { address?: string; memberId?: string; form?: string };
    values?: Record<string, string>;
    notice?: string;
  } = {},
) {
  const { community, context } = target;
  const methods = await deps.engine.offeredMethods({
    person: context.person,
    community,
    sandboxApp: interaction.application.mode === 'sandbox',
  });
  ctx.type = 'html';
  ctx.body = renderVerifyChoose({
    client: client(interaction),
    community,
    csrfToken: (ctx.state as PageState).csrfToken,
    methods,
    ...(methods.includes('email_domain')
      ? { acceptedAddresses: await deps.engine.acceptedAddresses(community) }
      : {}),
    actions: {
      email: interaction.action('verify/email'),
      organization: interaction.action('verify/organization'),
      documentPage: `${interaction.action('')}?method=document`,
      sandbox: interaction.action('verify/sandbox'),
      skip: interaction.action('verify/skip'),
    },
    ...(context.person.testPersona === null
      ? {}
      : { persona: `sandbox persona ${context.person.testPersona}` }),
    ...extra,
  });
}

export function showDocumentForm(
  ctx: Context,
  interaction: InteractionContext,
  community: Community,
  extra: { errors?: Record<string, string>; values?: Record<string, string>; reviewerNote?: string } = {},
) {
  ctx.type = 'html';
  ctx.body = renderVerifyDocument({
    client: client(interaction),
    community,
    csrfToken: (ctx.state as PageState).csrfToken,
    subgroups: community.subgroups.map((subgroup) => ({ value: subgroup, label: subgroup })),
    documentTypes: community.documentTypes.map((type) => ({ value: type.handle, label: type.name })),
    action: interaction.action('verify/document'),
    // Also away from a document a reviewer sent back: the user may verify another way, or go on without.
    backHref: `${interaction.action('')}?method=choose`,
    ...extra,
  });
}

export async function showPending(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
  target: { context: VerifyContext; community: Community },
  documentName: string,
) {
  const skipped = deferredCommunities(interaction.details);
  const unverified = await deps.verification.unverifiedCommunities(
    target.context.person.userId,
    scopesOf(interaction),
    interaction.application.mode,
  );
  ctx.type = 'html';
  ctx.body = renderVerifyPending({
    client: client(interaction),
    community: target.community,
    othersToVerify: unverified.some(
      (community) => community.handle !== target.community.handle && !skipped.includes(community.handle),
    ),
    documentName,
    email: target.context.person.email,
    csrfToken: (ctx.state as PageState).csrfToken,
    skipAction: interaction.action('verify/skip'),
  });
}

/** "Check your email": the code sent to the community address, with `error` when the last one was wrong. */
export function showCode(
  ctx: Context,
  interaction: InteractionContext,
  community: Community,
  address: string,
  error?: string,
) {
  ctx.type = 'html';
  ctx.body = renderVerifyCode({
    client: client(interaction),
    community,
    address,
    csrfToken: (ctx.state as PageState).csrfToken,
    actions: {
      confirm: interaction.action('verify/email-code'),
      resend: interaction.action('verify/email'),
      back: `${interaction.action('')}?method=choose`,
    },
    ...(error === undefined ? {} : { error }),
  });
}

/** The note of a reviewer who sent the latest attempt back for another document, for the upload form. */
export function reviewerNote(latest: Verification | undefined): { reviewerNote?: string } {
  return latest?.status === 'needs_resubmission' && latest.note !== null ? { reviewerNote: latest.note } : {};
}

/**
 * An attempt already waits for a reviewer: the same form sent again (a reload, the back button) must not
 * queue a second one.
 */
export function isAwaitingReview(latest: Verification | undefined): boolean {
  return latest !== undefined && awaitingReview.includes(latest.status);
}

/** Back to the verify page (post/redirect/get), which shows what the latest attempt is waiting for. */
export function showStep(ctx: Context, interaction: InteractionContext): void {
  ctx.redirect(interaction.action(''));
  ctx.status = 303;
}

/** Continues the authorization: the policy checks again, and the next community or consent follows. */
export const proceed = (ctx: Context, interaction: InteractionContext) => finish(ctx, interaction, {});
