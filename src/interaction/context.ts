import type { Context, Middleware } from 'koa';
import type { Provider } from '../oidc/errors.ts';
import type { AccountService } from '../accounts/account-service.ts';
import type { ApplicationService } from '../partners/application-service.ts';
import type { Application } from '../partners/application.ts';
import type { VerificationEngine } from '../verification/engine.ts';
import type { VerificationService } from '../verification/verification-service.ts';

export interface InteractionDeps {
  provider: () => Promise<Provider>;
  accounts: AccountService;
  applications: ApplicationService;
  verification: VerificationService;
  /** The verify step's methods (email code, documents, organizations' records, the sandbox). */
  engine: VerificationEngine;
  /** Parses the upload form (multipart), within the upload limits. */
  uploadForm: Middleware;
  /** Remembers the grant in which an account consented to a client, across sessions. */
  saveConsent(accountId: string, clientId: string, grantId: string): Promise<void>;
  /** The public URL is https (TLS may end at a proxy): cookies set here are Secure. */
  secure: boolean;
}

export type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/** What Vetted keeps in the interaction between the sign-in or sign-up form and the email code form. */
export interface PendingSignIn {
  /** The account, or the decoy of a sign-up for a registered address (accounts/sign-up-decoys.ts). */
  pendingAccountId: string;
}

export interface InteractionContext {
  provider: Provider;
  details: InteractionDetails;
  application: Application;
  params: Record<string, unknown>;
  pending: PendingSignIn | undefined;
  /** Where this interaction's forms post, e.g. `/interaction/<uid>/login`. */
  action(step: string): string;
}

export function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function formField(ctx: Context, name: string): string {
  const body = ctx.request.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
}

/** Finishes a step of the interaction and sends the browser back to oidc-provider to continue. */
export async function finish(
  ctx: Context,
  interaction: InteractionContext,
  result: Record<string, unknown>,
  mergeWithLastSubmission = true,
): Promise<void> {
  const url = await interaction.provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission,
  });
  ctx.redirect(url);
  ctx.status = 303;
}

/** Keeps data for the next step of this interaction without finishing it. */
export async function remember(ctx: Context, interaction: InteractionContext, pending: PendingSignIn) {
  await interaction.provider.interactionResult(
    ctx.req,
    ctx.res,
    { vetted: pending },
    { mergeWithLastSubmission: false },
  );
}
