import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { BackoffPolicy, FixedWindow, RateLimiter } from './rate-limiter.ts';

export interface SignInPolicy {
  /** Failed sign-ins for one account (normalized email), whether or not the account exists. */
  account: BackoffPolicy;
  /** Failed sign-ins from one client address (an IPv6 /64 counts as one address). */
  ip: FixedWindow;
}

/** After 5 failures an account is locked for 1 min, then 2, 4, … at most 1 h; 20 failures per IP per 10 min. */
export const defaultSignInPolicy: SignInPolicy = {
  account: { threshold: 5, baseMs: 60_000, maxMs: 3_600_000, resetAfterMs: 24 * 3_600_000 },
  ip: { limit: 20, windowMs: 10 * 60_000 },
};

/**
 * Brute-force protection for password sign-in. The account counter is keyed by the normalized email,
 * existing or not, so a lock behaves the same for every address and reveals nothing about which exist.
 */
export function createSignInGuard(limiter: RateLimiter, policy: SignInPolicy = defaultSignInPolicy) {
  return {
    /** Milliseconds the caller must wait before trying this account from this address; 0 when it may try. */
    async retryAfterMs(normalizedEmail: string, ip: string): Promise<number> {
      const [locked, byIp] = await Promise.all([
        limiter.blockedForMs(accountKey(normalizedEmail)),
        limiter.peek(ipKey(ip), policy.ip),
      ]);
      return Math.max(locked, byIp.retryAfterMs);
    },

    /** Counts a failed sign-in; returns how long the account is now locked for (0 when it is not). */
    async recordFailure(normalizedEmail: string, ip: string): Promise<number> {
      const [account] = await Promise.all([
        limiter.penalize(accountKey(normalizedEmail), policy.account),
        limiter.hit(ipKey(ip), policy.ip),
      ]);
      return account.blockedForMs;
    },

    /** A successful sign-in (or an operator) clears the account's failures and lock. */
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
