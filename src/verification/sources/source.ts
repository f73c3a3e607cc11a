import type { Community, JsonObject } from '../types.ts';

/**
 * Authoritative sources: something outside the user's say-so (an organization's roster, a registry's API,
 * the sandbox) that answers "is this person a member of this community?". A source only answers; the
 * verification engine records the outcome. Failures of the outside world (a registry that times out or
 * answers nonsense) are `unavailable`, never `verified`.
 */

/** The person asking, as the source sees them. */
export interface SourcePerson {
  userId: string;
  email: string;
  /** Whether the user proved they own `email`: an unconfirmed address never matches anything. */
  emailVerified: boolean;
  firstName: string;
  lastName: string;
  /** A sandbox persona's `<community>:<outcome>` (sandbox.ts); null for real users. */
  testPersona: string | null;
}

export interface SourceRequest {
  person: SourcePerson;
  community: Community;
  /** What the user typed, when the source asks for it */
  memberId?: string;
}

export type SourceResult =
  | {
      outcome: 'verified';
      /** Subgroups of the community, in the community's spelling. */
      subgroups: string[];
      /** When the source says the membership ends; undefined: the community's validity applies. */
      expiresAt?: Date | null;
      /** The source's reference for its answer (`roster:<id>`, `registry:<id>:<record>`, `sandbox:<persona>`) */
      reference: string;
      attributes?: JsonObject;
    }
  /** Only the sandbox answers this. */
  | { outcome: 'needs_review'; reference: string }
  /** The source knows the person and says no. */
  | { outcome: 'rejected'; reason: string; reference: string }
  /** The source has no record of this person. */
  | { outcome: 'not_found'; reason: string }
  /** The source could not be asked or its answer could not be read: could not verify. */
  | { outcome: 'unavailable'; reason: string };

export type SourceKind = 'roster' | 'registry' | 'sandbox';

export interface VerificationSource {
  readonly kind: SourceKind;
  readonly id: string;
  readonly name: string;
  verify(request: SourceRequest): Promise<SourceResult>;
}

/**
 * The community's spelling of `subgroup` (matched case-insensitively after trimming), or undefined when it
 * is not one of the community's subgroups.
 */
export function communitySubgroup(community: Community, subgroup: string): string | undefined {
  const wanted = subgroup.trim().toLowerCase();
  return community.subgroups.find((candidate) => candidate.toLowerCase() === wanted);
}

/**
 * Checks a `verified` answer against the community: every subgroup must be one of the community's (returned
 * in its spelling) and there must be at least one. Anything else is `unavailable`: a source that names a
 * subgroup Vetted does not know is misconfigured, and its answer cannot be recorded as a verification.
 */
export function checkSubgroups(community: Community, result: SourceResult): SourceResult {
  if (result.outcome !== 'verified') return result;
  if (result.subgroups.length === 0) {
    return { outcome: 'unavailable', reason: 'The source named no subgroup.' };
  }
  const subgroups: string[] = [];
  for (const subgroup of result.subgroups) {
    const known = communitySubgroup(community, subgroup);
    if (known === undefined) {
      return {
        outcome: 'unavailable',
        reason: `The source named ${JSON.stringify(subgroup)}, which is not a subgroup of ${community.handle}.`,
      };
    }
    if (!subgroups.includes(known)) subgroups.push(known);
  }
  return { ...result, subgroups };
}
