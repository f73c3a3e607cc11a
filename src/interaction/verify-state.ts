import type { Context } from 'koa';
import type { InteractionContext } from './context.ts';

/** What the verify step keeps in the interaction's result (under `vetted`, beside the sign-in's state). */
export interface VerifyState {
  /** The community address a code was sent to, while the user types it. */
  email?: { community: string; address: string };
  /** Communities the user chose to go on without; the verify prompt does not ask for them again. */
  deferred?: string[];
}

function vettedOf(result: unknown): Record<string, unknown> {
  const vetted = (result as { vetted?: unknown } | undefined)?.vetted;
  return typeof vetted === 'object' && vetted !== null ? (vetted as Record<string, unknown>) : {};
}

export function verifyState(result: unknown): VerifyState {
  const vetted = vettedOf(result);
  const email = vetted.email as VerifyState['email'] | undefined;
  const deferred = Array.isArray(vetted.deferred)
    ? vetted.deferred.filter((item) => typeof item === 'string')
    : [];
  return {
    ...(typeof email?.community === 'string' && typeof email.address === 'string' ? { email } : {}),
    ...(deferred.length > 0 ? { deferred } : {}),
  };
}

export function deferredCommunities(result: unknown): string[] {
  return verifyState(result).deferred ?? [];
}

/** Keeps verify state in the interaction without finishing it (the rest of the result is kept). */
export async function rememberVerify(
  ctx: Context,
  interaction: InteractionContext,
  patch: VerifyState,
): Promise<void> {
  const result = (interaction.details.result ?? {}) as Record<string, unknown>;
  await interaction.provider.interactionResult(
    ctx.req,
    ctx.res,
    { ...result, vetted: { ...vettedOf(result), ...patch } },
    { mergeWithLastSubmission: false },
  );
}
