import type { Context } from 'koa';
import type { InteractionContext } from './context.ts';

/** What the verify step keeps in the interaction's result (under `vetted`, beside the sign-in's state). */
export interface VerifyState {
  /** The community address a code was sent to, while the user types it. */
  email?: { community: string; address: string };
  /** Communities the user chose to go on without; the verify prompt does not ask for them again. */
  deferred?: string[];
}

/** The parts of an interaction the verify state is read from. */
export interface SubmittedState {
  result?: unknown;
  /** What the authorization's earlier interactions submitted (oidc-provider carries it to the next one). */
  lastSubmission?: unknown;
}

function vettedOf(result: unknown): Record<string, unknown> {
  const vetted = (result as { vetted?: unknown } | undefined)?.vetted;
  return typeof vetted === 'object' && vetted !== null ? (vetted as Record<string, unknown>) : {};
}

/**
 * Everything this authorization has submitted so far: the interaction's own result over what earlier
 * interactions submitted. After a step finishes and another prompt follows (the next community), the new
 * interaction starts with no result of its own, and the earlier choices are in `lastSubmission`.
 */
function submitted(details: SubmittedState): Record<string, unknown> {
  const asObject = (value: unknown) =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return { ...asObject(details.lastSubmission), ...asObject(details.result) };
}

export function verifyState(details: SubmittedState): VerifyState {
  const vetted = vettedOf(submitted(details));
  const email = vetted.email as VerifyState['email'] | undefined;
  const deferred = Array.isArray(vetted.deferred)
    ? vetted.deferred.filter((item) => typeof item === 'string')
    : [];
  return {
    ...(typeof email?.community === 'string' && typeof email.address === 'string' ? { email } : {}),
    ...(deferred.length > 0 ? { deferred } : {}),
  };
}

export function deferredCommunities(details: SubmittedState): string[] {
  return verifyState(details).deferred ?? [];
}

/** Keeps verify state in the interaction without finishing it (the rest of what was submitted is kept). */
export async function rememberVerify(
  ctx: Context,
  interaction: InteractionContext,
  patch: VerifyState,
): Promise<void> {
  const result = submitted(interaction.details);
  await interaction.provider.interactionResult(
    ctx.req,
    ctx.res,
    { ...result, vetted: { ...vettedOf(result), ...patch } },
    { mergeWithLastSubmission: false },
  );
}
