import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a browser stays a known device of an account after its last successful sign-in. */
export const DEVICE_COOKIE_MAX_AGE_MS = 180 * 86_400_000;

const VERSION = 'v1';
const ACCOUNT_ID = /^[0-9a-f]{32}$/;
const NONCE = /^[A-Za-z0-9_-]{22}$/;
const ISSUED_AT = /^[0-9a-z]{1,12}$/;
const MAC_BYTES = 32;

/** What a valid device cookie says: this browser signed in to `accountId`; `nonce` names the device. */
export interface DeviceCookie {
  accountId: string;
  nonce: string;
  issuedAt: number;
}

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): after a successful sign-in
 * the browser gets `v1.<account id>.<issued at>.<random nonce>.<HMAC-SHA-256>`, made with a server key. A
 * browser presenting a valid one for the account it signs in to is a known device: it is held back by its own
 * failures (the nonce's lock), not by the lock on the account or the limit on its network that others' guessing
 * earns. Nothing is stored: the key proves the cookie was ours, and its age bounds it.
 */
export function createDeviceCookies(key: Buffer, now: () => number) {
  const macOf = (data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

  return {
    issue(accountId: string): string {
      const data = [VERSION, accountId, now().toString(36), randomBytes(16).toString('base64url')].join('.');
      return `${data}.${macOf(data).toString('base64url')}`;
    },

    /** The cookie's content when it is ours, unaltered and not older than DEVICE_COOKIE_MAX_AGE_MS. */
    read(value: string | undefined): DeviceCookie | undefined {
      if (value === undefined || value.length > 200) return undefined;
      const parts = value.split('.');
      const [version, accountId, issued, nonce, mac] = parts;
      if (parts.length !== 5 || version !== VERSION || mac === undefined) return undefined;
      if (!ACCOUNT_ID.test(accountId ?? '') || !ISSUED_AT.test(issued ?? '') || !NONCE.test(nonce ?? ''))
        return undefined;
      const given = Buffer.from(mac, 'base64url');
      // base64url decoding is lenient: only the canonical spelling of a 32-byte MAC is accepted.
      if (given.length !== MAC_BYTES || given.toString('base64url') !== mac) return undefined;
      if (!timingSafeEqual(given, macOf(parts.slice(0, 4).join('.')))) return undefined;
      const issuedAt = parseInt(issued ?? '', 36);
      const age = now() - issuedAt;
      // A few minutes "from the future" are clock skew between instances.
      if (age < -300_000 || age >= DEVICE_COOKIE_MAX_AGE_MS) return undefined;
      return { accountId: accountId ?? '', nonce: nonce ?? '', issuedAt };
    },
  };
}

export type DeviceCookies = ReturnType<typeof createDeviceCookies>;
