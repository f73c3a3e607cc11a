import type { Context } from 'koa';
import { DEVICE_COOKIE_MAX_AGE_MS } from '../accounts/device-cookies.ts';

/** The device cookie (accounts/device-cookies.ts): HMACed by the server, so not signed again by Koa. */
export const DEVICE_COOKIE = 'vetted_device';

/** The device cookie this browser sent, if any (checked by the accounts service, not here). */
export function deviceCookieOf(ctx: Context): string | undefined {
  const value = ctx.cookies.get(DEVICE_COOKIE);
  return value === undefined || value === '' ? undefined : value;
}

/** Gives the browser its new device cookie after a successful sign-in: long-lived, HttpOnly, SameSite=Lax. */
export function setDeviceCookie(ctx: Context, value: string, secure: boolean): void {
  // The public URL is https but TLS may end at a proxy Koa does not trust: the browser still sees https.
  if (secure) ctx.cookies.secure = true;
  ctx.cookies.set(DEVICE_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    overwrite: true,
    maxAge: DEVICE_COOKIE_MAX_AGE_MS,
  });
}
