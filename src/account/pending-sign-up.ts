import type { Context } from 'koa';
import type { SecretBox } from '../keys/secret-box.ts';

const COOKIE = 'vetted_signup';
const CONTEXT = 'pending-sign-up';
/** How long the code page of a sign-up stays reachable from the browser that started it. */
const LIFETIME_MS = 3_600_000;

export interface PendingSignUpCookies {
  box: SecretBox;
  secure: boolean;
  now: () => number;
}

interface Sealed {
  id: string;
  expiresAt: number;
}

function options(deps: PendingSignUpCookies, expires: Date) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.secure,
    path: '/account',
    overwrite: true,
    expires,
  };
}

/**
 * The sign-up a browser is confirming on the account pages, between the form and the code: the pending id
 * (a new account's, or a decoy's for a registered address) sealed with a server key, so the cookie reads
 * the same for both. The browser is signed in only once the code is right.
 */
export function rememberSignUp(ctx: Context, deps: PendingSignUpCookies, id: string): void {
  const sealed: Sealed = { id, expiresAt: deps.now() + LIFETIME_MS };
  if (deps.secure) ctx.cookies.secure = true;
  ctx.cookies.set(
    COOKIE,
    deps.box.seal(JSON.stringify(sealed), CONTEXT),
    options(deps, new Date(sealed.expiresAt)),
  );
}

/** The pending id this browser is confirming, if its cookie is ours and current. */
export function pendingSignUpOf(ctx: Context, deps: PendingSignUpCookies): string | undefined {
  const value = ctx.cookies.get(COOKIE);
  if (value === undefined || value === '') return undefined;
  try {
    const sealed = JSON.parse(deps.box.open(value, CONTEXT).toString('utf8')) as Partial<Sealed>;
    if (typeof sealed.id !== 'string' || typeof sealed.expiresAt !== 'number') return undefined;
    return sealed.expiresAt > deps.now() ? sealed.id : undefined;
  } catch {
    return undefined;
  }
}

export function forgetSignUp(ctx: Context, deps: PendingSignUpCookies): void {
  if (deps.secure) ctx.cookies.secure = true;
  ctx.cookies.set(COOKIE, '', options(deps, new Date(0)));
}
