import type { AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { CommunityService } from './community-service.ts';
import { verificationErrors } from './errors.ts';
import { createVerificationLifecycle } from './lifecycle.ts';
import type { VerificationStatus } from './state.ts';
import type { Community, CommunityStanding, CommunityStatus, Evidence, Verification } from './types.ts';
import type { ApplicationMode, VerificationRepository } from './verification-repository.ts';

/** What a verification is at `now`: its stored status, or `expired` for a verified one past its expiry. */
export function effectiveStatus(verification: Verification, now: Date): VerificationStatus {
  if (verification.status !== 'verified') return verification.status;
  return verification.expiresAt !== null && verification.expiresAt.getTime() <= now.getTime()
    ? 'expired'
    : 'verified';
}

/**
 * Verifications: what users are verified for (read on every attributes call and authorization) and the
 * lifecycle that changes them (lifecycle.ts).
 */
export function createVerificationService(deps: {
  repository: VerificationRepository;
  communities: CommunityService;
  audit: AuditService;
  clock: Clock;
  ids: IdGenerator;
  beforeDelete?: (verification: Verification) => Promise<void>;
}) {
  const { repository, communities, clock } = deps;
  const lifecycle = createVerificationLifecycle(deps);

  /** The known communities among `handles`, in order and without duplicates. */
  async function resolve(handles: readonly string[]): Promise<Community[]> {
    const found = await Promise.all([...new Set(handles)].map((handle) => communities.find(handle)));
    return found.filter((community) => community !== undefined);
  }

  /** The current verification per community: verified, unexpired, the most recently verified. */
  async function currentByCommunity(
    userId: string,
    handles: readonly string[],
    now: Date,
    mode: ApplicationMode,
  ): Promise<Map<string, Verification>> {
    const current = new Map<string, Verification>();
    for (const verification of await repository.listCurrent(userId, handles, now.getTime(), mode)) {
      if (!current.has(verification.community)) current.set(verification.community, verification);
    }
    return current;
  }

  async function standingFor(
    userId: string,
    communityHandles: readonly string[],
    now: Date = clock.now(),
    mode: ApplicationMode = 'production',
  ): Promise<CommunityStanding[]> {
    const known = await resolve(communityHandles);
    const current = await currentByCommunity(
      userId,
      known.map((community) => community.handle),
      now,
      mode,
    );
    return known.map((community) => {
      const verification = current.get(community.handle);
      return {
        group: community.handle,
        name: community.name,
        subgroups: verification === undefined ? [] : [...verification.subgroups],
        verified: verification !== undefined,
        attributes: verification === undefined ? {} : verification.attributes,
        attributeDefinitions: community.attributeDefinitions,
      };
    });
  }

  return {
    ...lifecycle,

    /**
     * For each requested community, in order: verified when the user has a `verified` verification that has
     * not expired at `now`, with the subgroups of the most recent one; otherwise `verified: false` and no
     * subgroups. Handles that are not communities (openid, profile, email, unknown ones) are skipped, so the
     * granted scopes can be passed as they are.
     */
    async statusFor(
      userId: string,
      communityHandles: readonly string[],
      now: Date = clock.now(),
      mode: ApplicationMode = 'production',
    ): Promise<CommunityStatus[]> {
      const standings = await standingFor(userId, communityHandles, now, mode);
      return standings.map(({ group, subgroups, verified }) => ({ group, subgroups, verified }));
    },

    /** `statusFor` plus each community's name and the attributes of the current verification. */
    standingFor,

    /**
     * The requested communities the user is not verified for at `now` (the verify step of an authorization),
     * for an application in `mode`.
     */
    async unverifiedCommunities(
      userId: string,
      communityHandles: readonly string[],
      mode: ApplicationMode = 'production',
      now: Date = clock.now(),
    ): Promise<Community[]> {
      const known = await resolve(communityHandles);
      const current = await currentByCommunity(
        userId,
        known.map((community) => community.handle),
        now,
        mode,
      );
      return known.filter((community) => !current.has(community.handle));
    },

    /** The current (verified, unexpired, most recent) verification for a community, with its attributes. */
    async currentVerification(
      userId: string,
      community: string,
      now: Date = clock.now(),
      mode: ApplicationMode = 'production',
    ): Promise<Verification | undefined> {
      return (await currentByCommunity(userId, [community], now, mode)).get(community);
    },

    async findById(id: string): Promise<Verification | undefined> {
      return repository.findById(id);
    },

    /** A verification of `userId`, or `verification.not_found` (also when it is someone else's). */
    async findOwn(userId: string, id: string): Promise<Verification> {
      const verification = await repository.findById(id);
      if (verification?.userId !== userId) throw verificationErrors.notFound(id);
      return verification;
    },

    listEvidence(verificationId: string): Promise<Evidence[]> {
      return repository.listEvidence(verificationId);
    },

    /** Every verification of a user, newest first, with its effective status at `now`. */
    async listForUser(
      userId: string,
      now: Date = clock.now(),
    ): Promise<(Verification & { effectiveStatus: VerificationStatus })[]> {
      const verifications = await repository.listForUser(userId);
      return verifications.map((verification) => ({
        ...verification,
        effectiveStatus: effectiveStatus(verification, now),
      }));
    },

    /**
     * The user's latest verification of a community, whatever its status; for a production application the
     * sandbox's attempts (test personas) do not count.
     */
    async latestFor(
      userId: string,
      community: string,
      mode: ApplicationMode = 'production',
    ): Promise<Verification | undefined> {
      const all = await repository.listForUser(userId, [community]);
      return all.find((item) => mode === 'sandbox' || item.method !== 'sandbox');
    },
  };
}

export type VerificationService = ReturnType<typeof createVerificationService>;
