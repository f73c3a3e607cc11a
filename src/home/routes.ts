import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { InvalidInputError, RetryLaterError } from '../accounts/errors.ts';
import type { FirstRunSetup } from '../accounts/first-run-setup.ts';
import { currentUser, signInBrowser, type AccountSessionDeps } from '../account/session.ts';
import { formBody } from '../http/form-body.ts';
import { isAppError } from '../lib/app-error.ts';
import { renderHome } from './home-page.ts';
import { renderSetup, renderSetupDone, type SetupValues } from './setup-page.ts';

export interface HomeRouteDeps extends AccountSessionDeps {
  firstRunSetup: FirstRunSetup;
  /** The OpenID Connect issuer: the home page links its discovery document. */
  issuer: string;
  /** The development demo is on: the home page links `/demo`. */
  demo: boolean;
}

type PageState = { csrfToken: string; requestId: string };

const SETUP = '/setup';

function formField(ctx: Context, name: string): string {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

function showSetup(ctx: Context, values?: SetupValues, errors?: Record<string, string>): void {
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderSetup({
    action: SETUP,
    csrfToken: (ctx.state as PageState).csrfToken,
    ...(values === undefined ? {} : { values }),
    ...(errors === undefined ? {} : { errors }),
  });
}

function showSetupDone(ctx: Context): void {
  ctx.status = 404;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderSetupDone();
}

/** `/` (what Vetted is, where to go) and `/setup` (the first administrator, while there is none). */
export function homeRoutes(router: Router, deps: HomeRouteDeps, csrf: Middleware): void {
  const discoveryPath = `${new URL(deps.issuer).pathname.replace(/\/$/, '')}/.well-known/openid-configuration`;

  router.get('/', async (ctx) => {
    const user = await currentUser(ctx, deps);
    ctx.type = 'html';
    // It names the signed-in person and whether setup is open: never cached.
    ctx.set('Cache-Control', 'no-store');
    ctx.body = renderHome({
      email: user?.email,
      setupOpen: await deps.firstRunSetup.isOpen(),
      discoveryPath,
      demo: deps.demo,
    });
  });

  router.get(SETUP, csrf, async (ctx) => {
    if (!(await deps.firstRunSetup.isOpen())) return showSetupDone(ctx);
    showSetup(ctx);
  });

  router.post(SETUP, formBody(), csrf, async (ctx) => {
    const values = {
      email: formField(ctx, 'email'),
      firstName: formField(ctx, 'first_name'),
      lastName: formField(ctx, 'last_name'),
    };
    try {
      const user = await deps.firstRunSetup.complete(
        { ...values, code: formField(ctx, 'setup_code'), password: formField(ctx, 'password') },
        { ip: ctx.ip, requestId: (ctx.state as PageState).requestId },
      );
      await signInBrowser(ctx, deps, user);
      ctx.redirect('/admin');
      ctx.status = 303;
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      if (error.code === 'setup.closed') return showSetupDone(ctx);
      ctx.status = error.status;
      if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      const errors: Record<string, string> =
        error instanceof InvalidInputError
          ? { ...error.fields }
          : error.code === 'setup.code_invalid'
            ? { code: error.message }
            : error.code === 'accounts.email_taken'
              ? {
                  email:
                    'An account with this email address exists. Choose another address, or make that account ' +
                    'an administrator with `npx vetted admin create --email <email> --role admin`.',
                }
              : { form: error.message };
      showSetup(ctx, values, errors);
    }
  });
}
