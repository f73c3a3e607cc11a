import type { Context } from 'koa';
import { RetryLaterError } from '../accounts/errors.ts';
import type { UploadedFile } from '../http/multipart.ts';
import { isAppError, type AppError } from '../lib/app-error.ts';
import type { VerifyContext } from '../verification/engine.ts';
import { awaitingReview } from '../verification/state.ts';
import type { Community, Verification } from '../verification/types.ts';
import { renderVerifyChoose } from '../web/views/verify-choose.ts';
import { renderVerifyCode, renderVerifyDocument, renderVerifyPending } from '../web/views/verify-steps.ts';
import { finish, formField, type InteractionContext, type InteractionDeps } from './context.ts';
import { deferredCommunities, rememberVerify, verifyState } from './verify-state.ts';

type PageState = { csrfToken: string; requestId: string; files?: ReadonlyMap<string, UploadedFile> };

const client = (interaction: InteractionContext) => ({
  name: interaction.application.name,
  ...(interaction.application.logoUrl ? { logoUri: interaction.application.logoUrl } : {}),
});

/** The community this verify step is about: the first requested one the user is neither verified for nor skipped. */
async function pendingCommunity(
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

function scopesOf(interaction: InteractionContext): string[] {
  const scope = interaction.params.scope;
  return typeof scope === 'string' ? scope.split(' ') : [];
}

function origin(ctx: Context) {
  return { ip: ctx.ip, requestId: (ctx.state as PageState).requestId };
}

function failWith(ctx: Context, error: unknown): AppError {
  if (!isAppError(error) || error.status >= 500) throw error;
  ctx.status = error.status;
  if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
  return error;
}

async function showChoose(
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

function showDocumentForm(
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

async function showPending(
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

/** The note of a reviewer who sent the latest attempt back for another document, for the upload form. */
function reviewerNote(latest: Verification | undefined): { reviewerNote?: string } {
  return latest?.status === 'needs_resubmission' && latest.note !== null ? { reviewerNote: latest.note } : {};
}

/**
 * An attempt already waits for a reviewer: the same form sent again (a reload, the back button) must not
 * queue a second one.
 */
function isAwaitingReview(latest: Verification | undefined): boolean {
  return latest !== undefined && awaitingReview.includes(latest.status);
}

/** Back to the verify page (post/redirect/get), which shows what the latest attempt is waiting for. */
function showStep(ctx: Context, interaction: InteractionContext): void {
  ctx.redirect(interaction.action(''));
  ctx.status = 303;
}

/** Continues the authorization: the policy checks again, and the next community or consent follows. */
const proceed = (ctx: Context, interaction: InteractionContext) => finish(ctx, interaction, {});

/** The verify step's page: what state the community's latest attempt is in decides what is shown. */
export async function showVerify(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
): Promise<void> {
  const target = await pendingCommunity(interaction, deps);
  if (target === undefined) return proceed(ctx, interaction);
  const { community, context } = target;
  const latest = await deps.verification.latestFor(context.person.userId, community.handle);
  if (latest?.status === 'evidence_submitted' || latest?.status === 'in_review') {
    const evidence = (await deps.verification.listEvidence(latest.id)).filter(
      (item) => item.kind === 'document',
    );
    const handle = evidence.at(-1)?.details.documentType;
    const documentType = community.documentTypes.find((type) => type.handle === handle);
    return showPending(ctx, interaction, deps, target, documentType?.name ?? 'document');
  }
  if (ctx.query.method === 'document') {
    return showDocumentForm(ctx, interaction, community, reviewerNote(latest));
  }
  // "Use another way" (`?method=choose`) leads to the choice whatever is under way.
  const choosing = ctx.query.method === 'choose';
  const code = verifyState(interaction.details).email;
  if (!choosing && code?.community === community.handle) {
    ctx.type = 'html';
    ctx.body = renderVerifyCode({
      client: client(interaction),
      community,
      address: code.address,
      csrfToken: (ctx.state as PageState).csrfToken,
      actions: {
        confirm: interaction.action('verify/email-code'),
        resend: interaction.action('verify/email'),
        back: `${interaction.action('')}?method=choose`,
      },
    });
    return;
  }
  if (!choosing && latest?.status === 'needs_resubmission') {
    return showDocumentForm(ctx, interaction, community, reviewerNote(latest));
  }
  const notice =
    latest?.status === 'rejected'
      ? 'Your last attempt could not be accepted. Choose a way to try again.'
      : undefined;
  return showChoose(ctx, interaction, deps, target, notice === undefined ? {} : { notice });
}

export async function sendVerifyEmail(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
): Promise<void> {
  const target = await pendingCommunity(interaction, deps);
  if (target === undefined) return proceed(ctx, interaction);
  const address = formField(ctx, 'address');
  try {
    const sent = await deps.engine.sendEmailCode({
      ...target.context,
      address,
      ip: ctx.ip,
      origin: origin(ctx),
    });
    await rememberVerify(ctx, interaction, {
      email: { community: target.community.handle, address: sent.address },
    });
    showStep(ctx, interaction);
  } catch (error) {
    const failure = failWith(ctx, error);
    await showChoose(ctx, interaction, deps, target, {
      errors: { address: failure.message },
      values: { address },
    });
    ctx.status = failure.status;
  }
}

export async function confirmVerifyEmail(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
): Promise<void> {
  const target = await pendingCommunity(interaction, deps);
  if (target === undefined) return proceed(ctx, interaction);
  const sent = verifyState(interaction.details).email;
  try {
    await deps.engine.confirmEmailCode({
      ...target.context,
      code: formField(ctx, 'code'),
      origin: origin(ctx),
    });
    await proceed(ctx, interaction);
  } catch (error) {
    const failure = failWith(ctx, error);
    ctx.type = 'html';
    ctx.body = renderVerifyCode({
      client: client(interaction),
      community: target.community,
      address: sent?.address ?? '',
      csrfToken: (ctx.state as PageState).csrfToken,
      actions: {
        confirm: interaction.action('verify/email-code'),
        resend: interaction.action('verify/email'),
        back: `${interaction.action('')}?method=choose`,
      },
      error: failure.message,
    });
  }
}

/** The upload; any problem with a file is shown on its field, and nothing is kept. */
export async function submitVerifyDocument(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
): Promise<void> {
  const target = await pendingCommunity(interaction, deps);
  if (target === undefined) return proceed(ctx, interaction);
  const latest = await deps.verification.latestFor(target.context.person.userId, target.community.handle);
  if (isAwaitingReview(latest)) return showStep(ctx, interaction);
  const files = (ctx.state as PageState).files ?? new Map<string, UploadedFile>();
  const values = { subgroup: formField(ctx, 'subgroup'), documentType: formField(ctx, 'documentType') };
  const front = files.get('front');
  const back = files.get('back');
  const errors: Record<string, string> = {};
  if (!target.community.subgroups.includes(values.subgroup)) errors.subgroup = 'Choose your status.';
  if (!target.community.documentTypes.some((type) => type.handle === values.documentType))
    errors.documentType = 'Choose the document you are uploading.';
  if (front === undefined) errors.front = 'Choose a photo or scan of the front of the document.';
  for (const [name, file] of [
    ['front', front],
    ['back', back],
  ] as const) {
    if (file?.tooLarge === true)
      errors[name] = 'This file is larger than 10 MB. Upload a smaller photo or scan.';
  }
  if (Object.keys(errors).length > 0 || front === undefined) {
    showDocumentForm(ctx, interaction, target.community, { errors, values, ...reviewerNote(latest) });
    ctx.status = 400;
    return;
  }
  try {
    await deps.engine.submitDocument({
      ...target.context,
      ...values,
      front: front.bytes,
      ...(back === undefined ? {} : { back: back.bytes }),
      ip: ctx.ip,
      origin: origin(ctx),
    });
    showStep(ctx, interaction);
  } catch (error) {
    const failure = failWith(ctx, error);
    const side = (failure.detail as { side?: unknown } | undefined)?.side;
    const field = side === 'front' || side === 'back' ? side : 'form';
    showDocumentForm(ctx, interaction, target.community, {
      errors: { [field]: failure.message },
      values,
      ...reviewerNote(latest),
    });
    ctx.status = failure.status;
  }
}

export async function checkVerifyOrganization(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
): Promise<void> {
  const target = await pendingCommunity(interaction, deps);
  if (target === undefined) return proceed(ctx, interaction);
  const memberId = formField(ctx, 'memberId').trim();
  const result = await deps.engine.checkWithOrganization({
    ...target.context,
    memberId,
    origin: origin(ctx),
  });
  if (result.outcome === 'verified') return proceed(ctx, interaction);
  const message =
    result.outcome === 'unavailable'
      ? 'We could not check your membership right now. Try again later, or choose another way.'
      : result.outcome === 'rejected'
        ? 'Your organization’s records do not show a current membership. Choose another way if you think this is wrong.'
        : 'We could not find you in the records we can check. Check your member number, or choose another way.';
  ctx.status = result.outcome === 'unavailable' ? 503 : 400;
  await showChoose(ctx, interaction, deps, target, { errors: { memberId: message }, values: { memberId } });
}

export async function runVerifySandbox(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
): Promise<void> {
  const target = await pendingCommunity(interaction, deps);
  if (target === undefined) return proceed(ctx, interaction);
  if (interaction.application.mode !== 'sandbox' || target.context.person.testPersona === null) {
    return showChoose(ctx, interaction, deps, target);
  }
  const latest = await deps.verification.latestFor(target.context.person.userId, target.community.handle);
  if (isAwaitingReview(latest)) return showStep(ctx, interaction);
  const result = await deps.engine.runSandbox({ ...target.context, origin: origin(ctx) });
  if (result.outcome === 'in_review') return showPending(ctx, interaction, deps, target, 'test document');
  if (result.outcome === 'not_found' || result.outcome === 'unavailable') {
    // A persona of another community: the sandbox has no answer here, and nothing was recorded.
    await showChoose(ctx, interaction, deps, target, { errors: { form: result.reason } });
    ctx.status = 400;
    return;
  }
  const { userId } = target.context.person;
  const unverified = await deps.verification.unverifiedCommunities(
    userId,
    [target.community.handle],
    interaction.application.mode,
  );
  if (unverified.length === 0) return proceed(ctx, interaction);
  // Rejected, or verified but already expired: the persona stays unverified, so asking again would only
  // show this step once more. The partner learns `verified: false`; other communities are still asked.
  await deferAndProceed(ctx, interaction, [target.community.handle]);
}

/** Continues without `handles` (kept with those already deferred in this authorization). */
async function deferAndProceed(ctx: Context, interaction: InteractionContext, handles: readonly string[]) {
  const state = verifyState(interaction.details);
  const deferred = [...new Set([...(state.deferred ?? []), ...handles])];
  await finish(ctx, interaction, { vetted: { ...state, deferred } });
}

/** "Continue without verifying" / "Return to the partner": the partner will see `verified: false`. */
export async function skipVerify(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
): Promise<void> {
  const accountId = interaction.details.session?.accountId;
  const scopes = scopesOf(interaction);
  const unverified =
    accountId === undefined
      ? []
      : await deps.verification.unverifiedCommunities(accountId, scopes, interaction.application.mode);
  // From the reviewing page: only the community under review; the others are still asked.
  const one = formField(ctx, 'community');
  const handles = unverified.map((community) => community.handle);
  await deferAndProceed(ctx, interaction, handles.includes(one) ? [one] : handles);
}
