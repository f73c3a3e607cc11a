import Tokens from 'csrf';
import type { Context, Middleware } from 'koa';
import { renderError } from '../web/views/error.ts';

export const csrfCookieName = 'vetted_csrf';
export const csrfFieldName = '_csrf';

/** What the middleware adds to `ctx.state`: views put the token in a hidden `_csrf` field. */
export interface CsrfState {
  /** A fresh token for this browser's secret; reading it sets the secret cookie when there is none yet. */
  readonly csrfToken: string;
}

export interface CsrfOptions {
  /** Mark the cookie Secure (the public URL is https, even when TLS ends at a proxy). */
  secure: boolean;
  /** Requests not to check, e.g. OAuth endpoints that take form posts from partners' servers without cookies. */
  exempt?: (ctx: Context) => boolean;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Everything an HTML form on another site can send without a CORS preflight.
const formTypes = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const tokens = new Tokens();
/** Each request's way to replace its browser's secret (set by the middleware, used by `rotateCsrfSecret`). */
const rotators = new WeakMap<Context, () => void>();

/**
 * Synchronizer-token CSRF protection (pillarjs `csrf`): a per-browser secret in the HttpOnly cookie
 * `vetted_csrf`, and a token derived from it in every form. Unsafe requests whose body is form-shaped must
 * carry a valid `_csrf` field, or get a 403 HTML page; so must unsafe requests with no body type at all (a
 * cross-site `fetch` or form can send a bodiless POST to sign someone out or delete something). JSON requests
 * are left alone: browsers cannot send them cross-site without a CORS preflight.
 *
 * It reads the field from `ctx.request.body`, so it must run AFTER a body parser (`@koa/bodyparser` with
 * `enableTypes: ['form', 'json']`; add DELETE to its `parsedMethods` if forms are ever sent that way).
 * Multipart bodies need a parser that puts the fields there too, or are rejected. The cookie is only set when a token is first read, so APIs never see it.
 */
export function csrfProtection(options: CsrfOptions): Middleware<CsrfState & { requestId?: string }> {
  return async (ctx, next) => {
    const existing = ctx.cookies.get(csrfCookieName);
    let secret = existing !== undefined && existing !== '' ? existing : undefined;
    let token: string | undefined;
    const newSecret = (): string => {
      const fresh = tokens.secretSync();
      // The public URL is https but TLS may end at a proxy Koa does not trust: the browser still sees https.
      if (options.secure) ctx.cookies.secure = true;
      ctx.cookies.set(csrfCookieName, fresh, {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secure,
        path: '/',
        overwrite: true,
      });
      return fresh;
    };
    Object.defineProperty(ctx.state, 'csrfToken', {
      configurable: true,
      enumerable: true,
      get(): string {
        secret ??= newSecret();
        token ??= tokens.create(secret);
        return token;
      },
    });
    rotators.set(ctx, () => {
      secret = newSecret();
      token = undefined;
    });

    if (!needsCheck(ctx) || options.exempt?.(ctx) === true) {
      await next();
      return;
    }
    const body: unknown = (ctx.request as { body?: unknown }).body;
    const given =
      typeof body === 'object' && body !== null
        ? (body as Record<string, unknown>)[csrfFieldName]
        : undefined;
    if (secret === undefined || typeof given !== 'string' || !tokens.verify(secret, given)) {
      reject(ctx);
      return;
    }
    await next();
  };
}

function needsCheck(ctx: Context): boolean {
  if (!unsafeMethods.has(ctx.method)) return false;
  const type = ctx.request.type.trim().toLowerCase();
  return type === '' || formTypes.has(type);
}

function reject(ctx: Context & { state: { requestId?: string } }): void {
  ctx.status = 403;
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'html';
  ctx.body = renderError({
    status: 403,
    title: 'This form has expired',
    message:
      'For your security we could not accept this form. Go back, reload the page and try again. ' +
      'If this keeps happening, make sure your browser accepts cookies from this site.',
    code: 'http.csrf_invalid',
    ...(ctx.state.requestId === undefined ? {} : { requestId: ctx.state.requestId }),
  });
}

/**
 * Replaces this browser's secret (a successful sign-in, a finished sign-up): every form token handed out
 * before, to this browser or read by anyone else, stops working. Pages rendered afterwards in the same request
 * get tokens of the new secret. Needs `csrfProtection` on the route.
 */
export function rotateCsrfSecret(ctx: Context): void {
  const rotate = rotators.get(ctx);
  if (rotate === undefined) throw new Error('rotateCsrfSecret: no csrfProtection on this route');
  rotate();
}

/** Whether `token` was derived from this browser's CSRF secret (the management API's X-CSRF-Token header). */
export function csrfTokenMatches(ctx: Context, token: string): boolean {
  const secret = ctx.cookies.get(csrfCookieName);
  return secret !== undefined && secret !== '' && token !== '' && tokens.verify(secret, token);
}
