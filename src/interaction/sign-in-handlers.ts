import { deviceCookieOf, setDeviceCookie } from '../account/device-cookie.ts';
import { readSignUpForm } from '../account/sign-up-form.ts';
import type { Context } from 'koa';
import { InvalidInputError, RetryLaterError } from '../accounts/errors.ts';
import { rotateCsrfSecret } from '../http/csrf.ts';
import { isAppError } from '../lib/app-error.ts';
import { renderSignIn } from '../web/views/sign-in.ts';
import { renderSignUp, type SignUpField } from '../web/views/sign-up.ts';
import { renderVerifyEmail } from '../web/views/verify-email.ts';
import { finish, formField, remember, type InteractionContext, type InteractionDeps } from './context.ts';
import { shownName } from '../partners/application.ts';

type PageState = { csrfToken: string };

function client(interaction: InteractionContext) {
  return {
    name: shownName(interaction.application),
    ...(interaction.application.logoUrl ? { logoUri: interaction.application.logoUrl } : {}),
  };
}

export function showSignIn(
  ctx: Context,
  interaction: InteractionContext,
  extra: { email?: string; error?: string; notice?: string } = {},
) {
  ctx.type = 'html';
  ctx.body = renderSignIn({
    action: interaction.action('login'),
    csrfToken: (ctx.state as PageState).csrfToken,
    client: client(interaction),
    signUpHref: `${interaction.action('')}?page=signup`,
    ...extra,
  });
}

export function showSignUp(
  ctx: Context,
  interaction: InteractionContext,
  extra: { values?: Record<string, string>; errors?: Partial<Record<SignUpField | 'form', string>> } = {},
) {
  ctx.type = 'html';
  ctx.body = renderSignUp({
    action: interaction.action('signup'),
    csrfToken: (ctx.state as PageState).csrfToken,
    client: client(interaction),
    signInHref: `${interaction.action('')}?page=signin`,
    ...extra,
  });
}

export async function showVerifyEmail(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
  extra: { error?: string; notice?: string } = {},
): Promise<void> {
  // The account signing in or up, or the decoy of a sign-up for a registered address: the same page.
  const pending =
    interaction.pending === undefined
      ? undefined
      : await deps.accounts.pendingSignUp(interaction.pending.pendingAccountId);
  if (pending === undefined) return showSignIn(ctx, interaction);
  ctx.type = 'html';
  ctx.body = renderVerifyEmail({
    action: interaction.action('verify-email'),
    resendAction: interaction.action('resend-code'),
    csrfToken: (ctx.state as PageState).csrfToken,
    email: pending.email,
    ...extra,
  });
}

export async function signIn(ctx: Context, interaction: InteractionContext, deps: InteractionDeps) {
  const email = formField(ctx, 'email');
  try {
    const user = await deps.accounts.authenticate(
      email,
      formField(ctx, 'password'),
      { ip: ctx.ip, requestId: ctx.state.requestId as string },
      { deviceCookie: deviceCookieOf(ctx) },
    );
    // The password was right: this browser is a known device of the account from now on, and no form token
    // from before the sign-in works after it.
    setDeviceCookie(ctx, deps.accounts.issueDeviceCookie(user.id), deps.secure);
    rotateCsrfSecret(ctx);
    if (user.emailVerified) {
      await finish(ctx, interaction, { login: { accountId: user.id } }, false);
      return;
    }
    await deps.accounts.sendEmailVerification(user.id).catch(() => undefined);
    await remember(ctx, interaction, { pendingAccountId: user.id });
    ctx.redirect(interaction.action(''));
    ctx.status = 303;
  } catch (error) {
    if (!isAppError(error) || error.status >= 500) throw error;
    if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
    showSignIn(ctx, interaction, { email, error: error.message });
    ctx.status = error.status;
  }
}

export async function signUp(ctx: Context, interaction: InteractionContext, deps: InteractionDeps) {
  const { values, input } = readSignUpForm((name) => formField(ctx, name));
  try {
    // A registered address is answered as a new one: its pending id is a decoy's (accounts/sign-up-decoys.ts).
    const pending = await deps.accounts.signUp(input, {
      ip: ctx.ip,
      requestId: ctx.state.requestId as string,
    });
    await remember(ctx, interaction, { pendingAccountId: pending.id });
    ctx.redirect(interaction.action(''));
    ctx.status = 303;
  } catch (error) {
    if (!isAppError(error) || error.status >= 500) throw error;
    if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
    const errors = error instanceof InvalidInputError ? error.fields : { form: error.message };
    showSignUp(ctx, interaction, { values, errors });
    ctx.status = error.status;
  }
}

export async function verifyEmail(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
): Promise<void> {
  if (interaction.pending === undefined) return showSignIn(ctx, interaction);
  const accountId = interaction.pending.pendingAccountId;
  try {
    await deps.accounts.confirmEmail(accountId, formField(ctx, 'code').trim(), { ip: ctx.ip });
    rotateCsrfSecret(ctx);
    await finish(ctx, interaction, { login: { accountId } }, false);
  } catch (error) {
    if (!isAppError(error) || error.status >= 500) throw error;
    if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
    await showVerifyEmail(ctx, interaction, deps, { error: error.message });
    ctx.status = error.status;
  }
}

export async function resendCode(
  ctx: Context,
  interaction: InteractionContext,
  deps: InteractionDeps,
): Promise<void> {
  if (interaction.pending === undefined) return showSignIn(ctx, interaction);
  try {
    await deps.accounts.sendEmailVerification(interaction.pending.pendingAccountId);
    await showVerifyEmail(ctx, interaction, deps, { notice: 'We sent you a new code.' });
  } catch (error) {
    if (!isAppError(error) || error.status >= 500) throw error;
    if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
    await showVerifyEmail(ctx, interaction, deps, { error: error.message });
    ctx.status = error.status;
  }
}
