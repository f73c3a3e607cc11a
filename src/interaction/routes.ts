import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { formBody } from '../http/form-body.ts';
import { errors } from '../oidc/errors.ts';
import { renderError } from '../web/views/error.ts';
import { decideConsent, showConsent } from './consent-handlers.ts';
import { leaveSandbox, showSandboxBlocked } from './sandbox-handlers.ts';
import type { InteractionContext, InteractionDeps, PendingSignIn } from './context.ts';
import {
  resendCode,
  showSignIn,
  showSignUp,
  showVerifyEmail,
  signIn,
  signUp,
  verifyEmail,
} from './sign-in-handlers.ts';
import {
  checkVerifyOrganization,
  confirmVerifyEmail,
  runVerifySandbox,
  sendVerifyEmail,
  showVerify,
  skipVerify,
  submitVerifyDocument,
} from './verify-handlers.ts';

type Handler = (ctx: Context, interaction: InteractionContext, deps: InteractionDeps) => Promise<void>;

function expiredPage(ctx: Context, message: string): void {
  ctx.status = 400;
  ctx.type = 'html';
  ctx.body = renderError({
    status: 400,
    title: 'This sign-in has expired',
    message,
    requestId: ctx.state.requestId as string,
  });
}

/** Loads the interaction this request belongs to (its cookie must match the URL), or answers with a page. */
async function load(ctx: Context, deps: InteractionDeps): Promise<InteractionContext | undefined> {
  const provider = await deps.provider();
  let details;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (error) {
    if (!(error instanceof errors.SessionNotFound)) throw error;
    expiredPage(ctx, 'Go back to the site you came from and start again.');
    return undefined;
  }
  if (details.uid !== (ctx.params as { uid?: string }).uid) {
    expiredPage(
      ctx,
      'This page belongs to another sign-in. Go back to the site you came from and start again.',
    );
    return undefined;
  }
  const application = await deps.applications.findByClientId(String(details.params.client_id));
  if (application === undefined) {
    expiredPage(ctx, 'The application you came from is no longer registered.');
    return undefined;
  }
  const base = `/interaction/${details.uid}`;
  const pending = (details.result as { vetted?: PendingSignIn } | undefined)?.vetted;
  return {
    provider,
    details,
    application,
    params: details.params,
    pending,
    action: (step) => (step === '' ? base : `${base}/${step}`),
  };
}

async function show(ctx: Context, interaction: InteractionContext, deps: InteractionDeps): Promise<void> {
  const prompt = interaction.details.prompt.name;
  if (prompt === 'login') {
    if (interaction.pending !== undefined) return showVerifyEmail(ctx, interaction, deps);
    const page = typeof ctx.query.page === 'string' ? ctx.query.page : undefined;
    const wantsSignUp = page === 'signup' || (page === undefined && interaction.params.op === 'signup');
    if (wantsSignUp) showSignUp(ctx, interaction);
    else showSignIn(ctx, interaction);
    return;
  }
  if (prompt === 'sandbox') return showSandboxBlocked(ctx, interaction);
  if (prompt === 'verify') return showVerify(ctx, interaction, deps);
  if (prompt === 'consent' && (await showConsent(ctx, interaction, deps))) return;
  ctx.status = 409;
  ctx.type = 'html';
  ctx.body = renderError({
    status: 409,
    title: 'This step is not available',
    message: 'Vetted cannot continue this sign-in here. Go back to the site you came from and try again.',
    code: `interaction.${prompt}`,
    requestId: ctx.state.requestId as string,
  });
}

function step(deps: InteractionDeps, handler: Handler): Middleware {
  return async (ctx) => {
    const interaction = await load(ctx, deps);
    if (interaction !== undefined) await handler(ctx, interaction, deps);
  };
}

/**
 * The pages between `/oauth/authorize` and the partner's redirect: sign in or create an account, confirm the
 * email address, consent. Forms are CSRF-protected by `csrf` (which needs the parsed body).
 */
export function interactionRoutes(router: Router, deps: InteractionDeps, csrf: Middleware): void {
  const forms = [formBody(), csrf];
  router.get('/interaction/:uid', csrf, step(deps, show));
  router.post('/interaction/:uid/login', ...forms, step(deps, signIn));
  router.post('/interaction/:uid/signup', ...forms, step(deps, signUp));
  router.post('/interaction/:uid/verify-email', ...forms, step(deps, verifyEmail));
  router.post('/interaction/:uid/resend-code', ...forms, step(deps, resendCode));
  router.post('/interaction/:uid/consent', ...forms, step(deps, decideConsent));
  router.post('/interaction/:uid/verify/email', ...forms, step(deps, sendVerifyEmail));
  router.post('/interaction/:uid/verify/email-code', ...forms, step(deps, confirmVerifyEmail));
  router.post('/interaction/:uid/verify/organization', ...forms, step(deps, checkVerifyOrganization));
  router.post('/interaction/:uid/verify/sandbox', ...forms, step(deps, runVerifySandbox));
  router.post('/interaction/:uid/verify/skip', ...forms, step(deps, skipVerify));
  router.post('/interaction/:uid/sandbox/leave', ...forms, step(deps, leaveSandbox));
  // Multipart: the upload parser puts the fields (and _csrf) where the CSRF check reads them.
  router.post('/interaction/:uid/verify/document', deps.uploadForm, csrf, step(deps, submitVerifyDocument));
}
