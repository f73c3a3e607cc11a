import type { Context } from 'koa';
import type { UploadedFile } from '../http/multipart.ts';
import { finish, formField, type InteractionContext, type InteractionDeps } from './context.ts';
import {
  failWith,
  isAwaitingReview,
  origin,
  pendingCommunity,
  proceed,
  reviewerNote,
  scopesOf,
  showChoose,
  showCode,
  showDocumentForm,
  showPending,
  showStep,
  type PageState,
} from './verify-pages.ts';
import { rememberVerify, verifyState } from './verify-state.ts';

/** The verify step's page: what state the community's latest attempt is in decides what is shown. */
export async function showVerify(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
): Promise<void> {
  const target = await pendingCommunity(interaction, deps);
  if (target === undefined) return proceed(ctx, interaction);
  const { community, context } = target;
  const latest = await deps.verification.latestFor(
    context.person.userId,
    community.handle,
    interaction.application.mode,
  );
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
    showCode(ctx, interaction, community, code.address);
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
    showCode(ctx, interaction, target.community, sent?.address ?? '', failure.message);
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
  const latest = await deps.verification.latestFor(
    target.context.person.userId,
    target.community.handle,
    interaction.application.mode,
  );
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
  let result;
  try {
    result = await deps.engine.checkWithOrganization({
      ...target.context,
      memberId,
      ip: ctx.ip,
      origin: origin(ctx),
    });
  } catch (error) {
    const failure = failWith(ctx, error);
    await showChoose(ctx, interaction, deps, target, {
      errors: { memberId: failure.message },
      values: { memberId },
    });
    ctx.status = failure.status;
    return;
  }
  const stillUnverified =
    result.outcome === 'verified' &&
    (
      await deps.verification.unverifiedCommunities(
        target.context.person.userId,
        [target.community.handle],
        interaction.application.mode,
      )
    ).length > 0;
  if (result.outcome === 'verified' && !stillUnverified) return proceed(ctx, interaction);
  const message = stillUnverified
    ? 'Your organization’s records show that this membership has ended. Choose another way if you think this is wrong.'
    : result.outcome === 'unavailable'
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
  const latest = await deps.verification.latestFor(
    target.context.person.userId,
    target.community.handle,
    interaction.application.mode,
  );
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
