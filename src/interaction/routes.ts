import { bodyParser } from '@koa/bodyparser';
import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { errors } from '../oidc/errors.ts';
import { renderError } from '../web/views/error.ts';
import { decideConsent, showConsent } from './consent-handlers.ts';
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

/** Parses the form; a body it refuses (too large, unreadable) is answered with a page in Vetted's look. */
function formBody(): Middleware {
  const parse = bodyParser({ enableTypes: ['form'], formLimit: '16kb' }) as Middleware;
  return async (ctx, next) => {
    try {
      // Parse only: the rest of the chain runs below, outside this error handling.
      await parse(ctx, () => Promise.resolve());
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (typeof status !== 'number' || status < 400 || status >= 500) throw error;
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = renderError({
        status,
        title: status === 413 ? 'This form is too large' : 'This form could not be read',
        message: 'Go back, check what you entered and try again.',
        requestId: ctx.state.requestId as string,
      });
      return;
    }
    await next();
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
}
