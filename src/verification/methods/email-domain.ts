import type { OneTimeCodeService } from '../../accounts/one-time-codes.ts';
import { isAppError } from '../../lib/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Mailer } from '../../mail/mailer.ts';
import type { FixedWindow, RateLimiter } from '../../rate-limits/rate-limiter.ts';
import { clientNetwork } from '../../rate-limits/sign-in-guard.ts';
import type { Community } from '../types.ts';
import { parseCommunityEmailAddress } from './email-address.ts';
import { acceptedAddressesHint, communityEmailCodeMessage } from './email-domain-messages.ts';
import type { EmailDomainRules } from './email-domain-rules.ts';
import { methodErrors } from './errors.ts';

/** How often codes may be asked for. */
export interface EmailCodeLimits {
  /** Per user and community: one code a minute, so a double click does not send two. */
  resend: FixedWindow;
  /** Per user and community, so one account cannot mail an organization endlessly. */
  daily: FixedWindow;
  /** Per client network (an IPv6 /64 counts as one), across users and communities. */
  network: FixedWindow;
}

export const defaultEmailCodeLimits: EmailCodeLimits = {
  resend: { limit: 1, windowMs: 60_000 },
  daily: { limit: 5, windowMs: 24 * 3_600_000 },
  network: { limit: 10, windowMs: 3_600_000 },
};

/** The one-time-code purpose of a community's email codes: a code for one community proves nothing for another. */
export const communityEmailPurpose = (community: string) => `community_email:${community}`;

export interface SentCode {
  /** Normalized, domain in ASCII: where the code went. */
  address: string;
  /** What the address would verify the user for. */
  subgroup: string;
  expiresAt: Date;
}

export interface ConfirmedAddress {
  /** The address the code was sent to: the evidence to record. */
  address: string;
  subgroup: string;
}

/**
 * Proving membership with an address at a qualifying domain (`name@army.mil`): a six-digit code is mailed
 * to it and typed back. The caller starts the verification and records the address as evidence.
 */
export function createEmailDomainMethod(deps: {
  rules: EmailDomainRules;
  codes: OneTimeCodeService;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  clock: Clock;
  limits?: EmailCodeLimits;
}) {
  const { rules, codes, mailer, rateLimiter, clock } = deps;
  const limits = deps.limits ?? defaultEmailCodeLimits;

  async function notAccepted(community: Community, domain: string | undefined) {
    const hint = acceptedAddressesHint(community.name, await rules.acceptedPatterns(community.handle));
    const refusal = domain === undefined ? 'That address' : `An address at ${domain}`;
    return methodErrors.emailDomainNotAccepted(
      `${refusal} does not prove membership of ${community.name}. ${hint}`,
      domain,
    );
  }

  /** Counts one code against every limit, or throws `verification.code_throttled` counting none it can avoid. */
  async function throttle(userId: string, community: Community, ip: string): Promise<string> {
    const keys = {
      resend: `community-email:resend:${userId}:${community.handle}`,
      daily: `community-email:daily:${userId}:${community.handle}`,
      network: `community-email:network:${clientNetwork(ip)}`,
    };
    const refuse = (limit: keyof EmailCodeLimits, retryAfterMs: number) => {
      const wait = waitText(retryAfterMs);
      const messages = {
        resend: `A code was sent a moment ago. Wait ${wait} before asking for another.`,
        daily: `You have asked for ${limits.daily.limit} codes for ${community.name} recently. Try again in ${wait}.`,
        network: `Too many codes were asked for from your network. Try again in ${wait}.`,
      };
      return methodErrors.codeThrottled(messages[limit], retryAfterMs);
    };
    // Looked at first, so a refusal by one limit does not use up the others.
    for (const limit of ['daily', 'network'] as const) {
      const next = await rateLimiter.peek(keys[limit], limits[limit]);
      if (!next.allowed) throw refuse(limit, next.retryAfterMs);
    }
    // Counted first: of two requests at once, only one gets a code.
    const resend = await rateLimiter.hit(keys.resend, limits.resend);
    if (!resend.allowed) throw refuse('resend', resend.retryAfterMs);
    for (const limit of ['daily', 'network'] as const) {
      const counted = await rateLimiter.hit(keys[limit], limits[limit]);
      if (!counted.allowed) {
        await rateLimiter.reset(keys.resend);
        throw refuse(limit, counted.retryAfterMs);
      }
    }
    return keys.resend;
  }

  return {
    /**
     * Mails a code to `address` if it falls under one of the community's rules. Throws
     * `verification.invalid_email_address`, `verification.email_domain_not_accepted` (saying which
     * addresses are) or `verification.code_throttled`. A mail failure is rethrown and leaves the user free
     * to ask again at once.
     */
    async sendCode(input: {
      userId: string;
      community: Community;
      address: string;
      ip: string;
    }): Promise<SentCode> {
      const { userId, community } = input;
      const { address, domain } = parseCommunityEmailAddress(input.address);
      const match = await rules.match(community.handle, address);
      if (match === undefined) throw await notAccepted(community, domain);
      const resendKey = await throttle(userId, community, input.ip);
      const purpose = communityEmailPurpose(community.handle);
      const issued = await codes.issue({ userId, purpose, address });
      const ttlMinutes = Math.round((issued.expiresAt.getTime() - clock.now().getTime()) / 60_000);
      try {
        await mailer.send(communityEmailCodeMessage(address, issued.code, ttlMinutes, community.name));
      } catch (error) {
        // Nothing reached the user, so they may ask again at once.
        await rateLimiter.reset(resendKey);
        throw error;
      }
      return { address, subgroup: match.subgroup, expiresAt: issued.expiresAt };
    },

    /**
     * Consumes the code the user typed and answers the address it was sent to with the subgroup it
     * proves, by the rules as they are now. Throws `verification.code_invalid`, `verification.code_expired`,
     * `verification.code_too_many_attempts` or `verification.email_domain_not_accepted`.
     */
    async confirmCode(input: {
      userId: string;
      community: Community;
      code: string;
    }): Promise<ConfirmedAddress> {
      const { userId, community } = input;
      let address: string;
      try {
        ({ address } = await codes.consume({
          userId,
          purpose: communityEmailPurpose(community.handle),
          code: input.code,
        }));
      } catch (error) {
        throw translateCodeError(error);
      }
      // A rule removed since the code was sent no longer proves anything.
      const match = await rules.match(community.handle, address);
      if (match === undefined)
        throw await notAccepted(community, address.slice(address.lastIndexOf('@') + 1));
      return { address, subgroup: match.subgroup };
    },
  };
}

export type EmailDomainMethod = ReturnType<typeof createEmailDomainMethod>;

function translateCodeError(error: unknown): unknown {
  if (!isAppError(error)) return error;
  if (error.code === 'accounts.code_invalid') return methodErrors.codeInvalid();
  if (error.code === 'accounts.code_expired') return methodErrors.codeExpired();
  if (error.code === 'accounts.code_too_many_attempts') return methodErrors.codeTooManyAttempts();
  return error;
}

/** `45 seconds`, `12 minutes`, `3 hours`: rounded up, for messages. */
function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}
