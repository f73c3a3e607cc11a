import { createHash } from 'node:crypto';
import { clientNetwork } from '../rate-limits/sign-in-guard.ts';
import type { SlidingWindowLimit, SlidingWindowLimiter } from '../rate-limits/sliding-window.ts';
import { accountErrors } from './errors.ts';

/**
 * Sign-up attempts (valid forms, new address or not) per client network (an IPv6 /64 counts as one) and per
 * address, in any hour. The address limit bounds the mails one address gets from strangers; the network limit
 * bounds accounts made (and owners mailed) from one place. Both count the same whether the address is known.
 */
export const SIGN_UP_LIMITS: Readonly<Record<'network' | 'address', SlidingWindowLimit>> = {
  network: { max: 20, windowMs: 3_600_000 },
  address: { max: 5, windowMs: 3_600_000 },
};

/** Counts one sign-up; throws `accounts.sign_up_throttled` (a RetryLaterError) when a limit is reached. */
export async function countSignUp(
  windows: SlidingWindowLimiter,
  attempt: { emailNormalized: string; ip?: string | undefined },
): Promise<void> {
  if (attempt.ip !== undefined && attempt.ip !== '') {
    const network = await windows.hit(`sign-up:network:${clientNetwork(attempt.ip)}`, SIGN_UP_LIMITS.network);
    if (!network.allowed) throw accountErrors.signUpThrottled('network', network.retryAfterMs);
  }
  // Hashed so the store does not collect every address anyone typed into the form.
  const hashed = createHash('sha256').update(attempt.emailNormalized, 'utf8').digest('base64url');
  const address = await windows.hit(`sign-up:address:${hashed}`, SIGN_UP_LIMITS.address);
  if (!address.allowed) throw accountErrors.signUpThrottled('address', address.retryAfterMs);
}
