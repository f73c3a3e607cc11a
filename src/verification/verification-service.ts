import type { Actor, AuditService, RequestOrigin } from '../audit/audit-service.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { CommunityService } from './community-service.ts';
import { verificationErrors } from './errors.ts';
import type {
  Community,
  CommunityStanding,
  CommunityStatus,
  JsonObject,
  JsonValue,
  Verification,
  VerificationStatus,
} from './types.ts';
import type { VerificationRepository } from './verification-repository.ts';

const DAY_MS = 86_400_000;

export interface RecordVerificationInput {
  userId: string;
  community: string;
  /** At least one for a verified verification; each must be a subgroup of the community. */
  subgroups: readonly string[];
  method: string;
  /** Defaults to `verified`; `pending` and `rejected` carry no verification or expiry time. */
  status?: VerificationStatus;
  /** Community-specific attributes by handle, as JSON values (numbers stay numbers). */
  attributes?: JsonObject;
  /** Defaults to now. */
  verifiedAt?: Date;
  /** Defaults to `verifiedAt` plus the community's validity; `null` never expires. */
  expiresAt?: Date | null;
  /** Who recorded it, for the audit log; defaults to the system. */
  actor?: Actor;
  origin?: RequestOrigin;
}

/** What a verification is at `now`: its stored status, or `expired` for a verified one past its expiry. */
export type EffectiveStatus = VerificationStatus | 'expired';

export function effectiveStatus(verification: Verification, now: Date): EffectiveStatus {
  if (verification.status !== 'verified') return verification.status;
  return isExpired(verification, now) ? 'expired' : 'verified';
}

function isExpired(verification: Verification, now: Date): boolean {
  return verification.expiresAt !== null && verification.expiresAt.getTime() <= now.getTime();
}

export function createVerificationService(deps: {
  repository: VerificationRepository;
  communities: CommunityService;
  audit: AuditService;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { repository, communities, audit, clock, ids } = deps;

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
  ): Promise<Map<string, Verification>> {
    const current = new Map<string, Verification>();
    for (const verification of await repository.listCurrent(userId, handles, now.getTime())) {
      if (!current.has(verification.community)) current.set(verification.community, verification);
    }
    return current;
  }

  async function standingFor(
    userId: string,
    communityHandles: readonly string[],
    now: Date = clock.now(),
  ): Promise<CommunityStanding[]> {
    const known = await resolve(communityHandles);
    const current = await currentByCommunity(
      userId,
      known.map((community) => community.handle),
      now,
    );
    return known.map((community) => {
      const verification = current.get(community.handle);
      return {
        group: community.handle,
        name: community.name,
        subgroups: verification === undefined ? [] : [...verification.subgroups],
        verified: verification !== undefined,
        attributes: verification === undefined ? {} : verification.attributes,
      };
    });
  }

  return {
    /** Records a verification of `userId` for a community and writes `verification.recorded` to the audit log. */
    async recordVerification(input: RecordVerificationInput): Promise<Verification> {
      const community = await communities.find(input.community);
      if (community === undefined) throw verificationErrors.unknownCommunity(input.community);
      const status = input.status ?? 'verified';
      const subgroups = [...new Set(input.subgroups)];
      for (const subgroup of subgroups) {
        if (!community.subgroups.includes(subgroup)) {
          throw verificationErrors.unknownSubgroup(community.handle, subgroup);
        }
      }
      if (status === 'verified' && subgroups.length === 0) {
        throw verificationErrors.subgroupsRequired(community.handle);
      }
      if (input.method.trim() === '') throw verificationErrors.invalid('The verification method is missing.');
      const attributes = input.attributes ?? {};
      if (!isJsonObject(attributes)) {
        throw verificationErrors.invalid('Verification attributes must be a JSON object.');
      }
      const now = clock.now();
      const times = status === 'verified' ? verifiedTimes(input, community, now) : unverifiedTimes(input);
      const verification: Verification = {
        id: ids.uuid(),
        userId: input.userId,
        community: community.handle,
        subgroups,
        status,
        method: input.method,
        attributes,
        ...times,
        createdAt: now,
        updatedAt: now,
      };
      await repository.insert(verification);
      await audit.record('verification.recorded', {
        actor: input.actor ?? { type: 'system' },
        subject: { type: 'verification', id: verification.id },
        ...(input.origin === undefined ? {} : { origin: input.origin }),
        data: {
          userId: verification.userId,
          community: verification.community,
          subgroups,
          status,
          method: verification.method,
          expiresAt: verification.expiresAt?.getTime() ?? null,
        },
      });
      return verification;
    },

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
    ): Promise<CommunityStatus[]> {
      const standings = await standingFor(userId, communityHandles, now);
      return standings.map(({ group, subgroups, verified }) => ({ group, subgroups, verified }));
    },

    /** `statusFor` plus each community's name and the attributes of the current verification. */
    standingFor,

    /** The current (verified, unexpired, most recent) verification for a community, with its attributes. */
    async currentVerification(
      userId: string,
      community: string,
      now: Date = clock.now(),
    ): Promise<Verification | undefined> {
      return (await currentByCommunity(userId, [community], now)).get(community);
    },

    /** Every verification of a user, newest first, with its effective status at `now`. */
    async listForUser(
      userId: string,
      now: Date = clock.now(),
    ): Promise<(Verification & { effectiveStatus: EffectiveStatus })[]> {
      const verifications = await repository.listForUser(userId);
      return verifications.map((verification) => ({
        ...verification,
        effectiveStatus: effectiveStatus(verification, now),
      }));
    },
  };
}

export type VerificationService = ReturnType<typeof createVerificationService>;

function verifiedTimes(input: RecordVerificationInput, community: Community, now: Date) {
  const verifiedAt = input.verifiedAt ?? now;
  if (Number.isNaN(verifiedAt.getTime())) throw verificationErrors.invalid('verifiedAt is not a valid time.');
  let expiresAt: Date | null;
  if (input.expiresAt !== undefined) expiresAt = input.expiresAt;
  else if (community.validityDays === null) expiresAt = null;
  else expiresAt = new Date(verifiedAt.getTime() + community.validityDays * DAY_MS);
  if (expiresAt !== null && !(expiresAt.getTime() > verifiedAt.getTime())) {
    throw verificationErrors.invalid('A verification expires after it was verified.');
  }
  return { verifiedAt, expiresAt };
}

function unverifiedTimes(input: RecordVerificationInput) {
  if (input.verifiedAt !== undefined || (input.expiresAt !== undefined && input.expiresAt !== null)) {
    throw verificationErrors.invalid('Only a verified verification has verification and expiry times.');
  }
  return { verifiedAt: null, expiresAt: null };
}

function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null) &&
    Object.values(value).every(isJsonValue)
  );
}

function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return isJsonObject(value);
}
