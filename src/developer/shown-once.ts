import type { Context } from 'koa';
import type { SecretBox } from '../keys/secret-box.ts';

const COOKIE = 'vetted_once';
const LIFETIME_MS = 5 * 60_000;

interface Stashed {
  path: string;
  value: string;
  expiresAt: number;
}

/**
 * A secret the console shows once (a client secret, an API key, a test persona's password) survives the
 * redirect after the POST that made it — so that reloading the page never makes a second one — in a cookie
 * sealed with a server key (AES-256-GCM, bound to the user), for 5 minutes, read once by the page at `path`.
 */
export function createShownOnce(deps: { box: SecretBox; secure: boolean; now: () => number; path?: string }) {
  const options = (expires: Date) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: deps.secure,
    path: deps.path ?? '/developer',
    expires,
    overwrite: true,
  });
  return {
    stash(ctx: Context, userId: string, path: string, value: string): void {
      const stashed: Stashed = { path, value, expiresAt: deps.now() + LIFETIME_MS };
      if (deps.secure) ctx.cookies.secure = true;
      ctx.cookies.set(
        COOKIE,
        deps.box.seal(JSON.stringify(stashed), userId),
        options(new Date(stashed.expiresAt)),
      );
    },

    /** The value stashed for this page and user, once; undefined otherwise (and for anything tampered with). */
    take(ctx: Context, userId: string, path: string): string | undefined {
      const sealed = ctx.cookies.get(COOKIE);
      if (sealed === undefined || sealed === '') return undefined;
      let stashed: Stashed;
      try {
        stashed = JSON.parse(deps.box.open(sealed, userId).toString('utf8')) as Stashed;
      } catch {
        return undefined;
      }
      if (stashed.path !== path || stashed.expiresAt <= deps.now()) return undefined;
      if (deps.secure) ctx.cookies.secure = true;
      ctx.cookies.set(COOKIE, '', options(new Date(0)));
      return stashed.value;
    },
  };
}

export type ShownOnce = ReturnType<typeof createShownOnce>;
