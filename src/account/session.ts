import type { Context } from 'koa';
import type { AccountService, User } from '../accounts/account-service.ts';
import type { WebSessionService } from '../accounts/web-sessions.ts';
import { rotateCsrfSecret } from '../http/csrf.ts';

export const ACCOUNT_COOKIE = 'vetted_account';

export interface AccountSessionDeps {
  accounts: AccountService;
  webSessions: WebSessionService;
  /** The public URL is https (TLS may end at a proxy): the cookie is Secure. */
  secure: boolean;
}

const signedIn = new WeakMap<Context, User | null>();

/** The user signed in to Vetted's own pages in this request, if any (read once per request). */
export async function currentUser(ctx: Context, deps: AccountSessionDeps): Promise<User | undefined> {
  const known = signedIn.get(ctx);
  if (known !== undefined) return known ?? undefined;
  const token = ctx.cookies.get(ACCOUNT_COOKIE, { signed: true }) ?? '';
  const userId = token === '' ? undefined : await deps.webSessions.resolve(token);
  const user = userId === undefined ? undefined : await deps.accounts.findById(userId);
  signedIn.set(ctx, user ?? null);
  return user;
}

function cookieOptions(deps: AccountSessionDeps, expires?: Date) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.secure,
    signed: true,
    path: '/',
    overwrite: true,
    ...(expires === undefined ? {} : { expires }),
  };
}

/** Signs the browser in, with a new form-token secret: no token handed out before works afterwards. */
export async function signInBrowser(ctx: Context, deps: AccountSessionDeps, user: User): Promise<void> {
  rotateCsrfSecret(ctx);
  const { token, expiresAt } = await deps.webSessions.create(user.id);
  // The public URL is https but TLS may end at a proxy Koa does not trust: the browser still sees https.
  if (deps.secure) ctx.cookies.secure = true;
  ctx.cookies.set(ACCOUNT_COOKIE, token, cookieOptions(deps, expiresAt));
  signedIn.set(ctx, user);
}

export async function signOutBrowser(ctx: Context, deps: AccountSessionDeps): Promise<void> {
  const token = ctx.cookies.get(ACCOUNT_COOKIE, { signed: true }) ?? '';
  await deps.webSessions.destroy(token);
  if (deps.secure) ctx.cookies.secure = true;
  ctx.cookies.set(ACCOUNT_COOKIE, '', cookieOptions(deps, new Date(0)));
  signedIn.set(ctx, null);
}

/** Where to go after signing in: only a path on this site, never another origin (`//evil`, `/\evil`). */
export function safeNext(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || !/^\/(?![/\\])[\x21-\x7e]*$/.test(value)) return fallback;
  return value;
}
