import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { BackoffPolicy, FixedWindow, RateLimiter } from './rate-limiter.ts';

export interface SignInPolicy {
  /** Failed sign-ins for one account (normalized email) from clients it does not know, existing or not. */
  account: BackoffPolicy;
  /** Failed sign-ins from one known device (a device cookie for the account it signs in to). */
  device: BackoffPolicy;
  /** Failed sign-ins from one client address (an IPv6 /64 counts as one address), unknown clients only. */
  ip: FixedWindow;
}

const lockAfterFive: BackoffPolicy = {
  threshold: 5,
  baseMs: 60_000,
  maxMs: 3_600_000,
  resetAfterMs: 24 * 3_600_000,
};

/**
 * After 5 failures an account is locked for 1 min, then 2, 4, … at most 1 h, for clients it does not know; a
 * known device the same by its own failures; 20 failures per IP per 10 min from unknown clients.
 */
export const defaultSignInPolicy: SignInPolicy = {
  account: lockAfterFive,
  device: lockAfterFive,
  ip: { limit: 20, windowMs: 10 * 60_000 },
};

/**
 * Brute-force protection for password sign-in, after OWASP's device cookies: a client that presents a valid
 * device cookie for the account (`device`, its nonce) is held back only by its own failures; every other client
 * by the account's lock (from the failures of all unknown clients) and by its network's limit. So guessing,
 * from one network or from many, never locks an account's owner out of the browsers they used before.
 *
 * The account counter is keyed by the normalized email, existing or not, so a lock behaves the same for every
 * address and reveals nothing about which exist.
 */
export function createSignInGuard(limiter: RateLimiter, policy: SignInPolicy = defaultSignInPolicy) {
  return {
    /** Milliseconds the caller must wait before trying this account; 0 when it may try. */
    async retryAfterMs(normalizedEmail: string, ip: string, device?: string): Promise<number> {
      if (device !== undefined) return limiter.blockedForMs(deviceKey(device));
      const [locked, byIp] = await Promise.all([
        limiter.blockedForMs(accountKey(normalizedEmail)),
        limiter.peek(ipKey(ip), policy.ip),
      ]);
      return Math.max(locked, byIp.retryAfterMs);
    },

    /** Counts a failed sign-in; returns how long the account (or the device) is now locked for, else 0. */
    async recordFailure(normalizedEmail: string, ip: string, device?: string): Promise<number> {
      if (device !== undefined)
        return (await limiter.penalize(deviceKey(device), policy.device)).blockedForMs;
      const [account] = await Promise.all([
        limiter.penalize(accountKey(normalizedEmail), policy.account),
        limiter.hit(ipKey(ip), policy.ip),
      ]);
      return account.blockedForMs;
    },

    /**
     * A successful sign-in clears what held it back: the device's failures for a known device (the account's
     * lock stays for the others), else the account's failures and lock.
     */
    async recordSuccess(normalizedEmail: string, device?: string): Promise<void> {
      await limiter.reset(device === undefined ? accountKey(normalizedEmail) : deviceKey(device));
    },

    /** An operator clears the account's failures and lock. */
    async clearAccount(normalizedEmail: string): Promise<void> {
      await limiter.reset(accountKey(normalizedEmail));
    },
  };
}

export type SignInGuard = ReturnType<typeof createSignInGuard>;

// Hashed so the table does not collect every address anyone typed into the sign-in form.
function accountKey(normalizedEmail: string): string {
  return `sign-in:account:${createHash('sha256').update(normalizedEmail, 'utf8').digest('base64url')}`;
}

function deviceKey(nonce: string): string {
  return `sign-in:device:${nonce}`;
}

function ipKey(ip: string): string {
  return `sign-in:ip:${clientNetwork(ip)}`;
}

/**
 * The unit an IP limit applies to: an IPv4 address, or the /64 network of an IPv6 address (one subscriber
 * usually holds a whole /64, so counting single IPv6 addresses would let them rotate freely).
 */
export function clientNetwork(ip: string): string {
  const address = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (isIPv4(address) || !isIPv6(address)) return address;
  const withoutZone = address.split('%')[0] ?? address;
  const [head = '', tail = ''] = withoutZone.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = withoutZone.includes('::') && tail !== '' ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = withoutZone.includes('::')
    ? [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
