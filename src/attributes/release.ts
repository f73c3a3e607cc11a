import type { CommunityStanding, JsonValue } from '../verification/types.ts';
import { ageAt } from './age.ts';
import { attributeCatalogue, communityAttribute, hasType, type AttributeDefinition } from './catalogue.ts';

/** The user fields the payloads read (mapped from the accounts domain by the caller). */
export interface AttributeUser {
  /** 32 hex characters: released as `uuid` (and v2 `id`). */
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  postalCode: string | null;
  /** `YYYY-MM-DD` */
  birthDate: string | null;
}

/** Everything that decides what one application receives about one user under one grant. */
export interface ReleaseInput {
  user: AttributeUser;
  /** The granted scopes, in order; OpenID Connect scopes among them are ignored here. */
  scopes: readonly string[];
  /**
   * The user's standing in the community scopes of the grant (`VerificationService.standingFor(userId,
   * scopes, now)`); entries for communities that are not in `scopes` are ignored.
   */
  communities: readonly CommunityStanding[];
  /** The optional attributes the application is configured for: `age`, community attribute handles. */
  releasedAttributes: readonly string[];
  /** The `eid` the authorization request carried, if any. */
  eid?: string | null | undefined;
  now: Date;
}

export interface ReleasedAttribute {
  definition: AttributeDefinition;
  value: JsonValue;
}

/** The one decision both the payloads and the consent page are derived from. */
export interface Release {
  /** The shared attributes in catalogue order, then each granted community's, in scope order. */
  attributes: ReleasedAttribute[];
  /** One entry per community scope of the grant, in scope order. */
  status: CommunityStanding[];
}

/**
 * Decides exactly what is released:
 * - `fname`, `lname`, `email`, `uuid` always; `zip` when the user has a postal code (omitted, not null, when
 *   unknown);
 * - `eid` when the authorization request carried a non-empty one;
 * - `age` when the application is configured for it and the birth date is known;
 * - a community attribute when the application is configured for it, its community is a granted scope and
 *   defines it, the user's current verification for that community carries it, and the value has the type
 *   the community defines;
 * - a status entry for every community scope of the grant, verified or not.
 */
export function decideRelease(input: ReleaseInput): Release {
  const status = grantedCommunities(input);
  const configured = new Set(input.releasedAttributes);
  const attributes: ReleasedAttribute[] = [];
  for (const definition of attributeCatalogue) {
    const value = valueOf(definition, input, configured);
    if (value !== undefined) attributes.push({ definition, value });
  }
  for (const standing of status) {
    if (!standing.verified) continue;
    for (const defined of standing.attributeDefinitions) {
      const value = standing.attributes[defined.handle];
      if (!configured.has(defined.handle) || value === undefined || !hasType(value, defined.type)) continue;
      attributes.push({ definition: communityAttribute(standing.group, defined), value });
    }
  }
  return { attributes, status };
}

function grantedCommunities(input: ReleaseInput): CommunityStanding[] {
  const byGroup = new Map(input.communities.map((standing) => [standing.group, standing]));
  return [...new Set(input.scopes)]
    .map((scope) => byGroup.get(scope))
    .filter((standing) => standing !== undefined);
}

function valueOf(
  definition: AttributeDefinition,
  input: ReleaseInput,
  configured: ReadonlySet<string>,
): JsonValue | undefined {
  const { user } = input;
  switch (definition.handle) {
    case 'fname':
      return user.firstName;
    case 'lname':
      return user.lastName;
    case 'email':
      return user.email;
    case 'uuid':
      return user.id;
    case 'zip':
      return nonEmpty(user.postalCode);
    case 'eid':
      return nonEmpty(input.eid);
    case 'age':
      return configured.has('age') && user.birthDate !== null ? ageAt(user.birthDate, input.now) : undefined;
  }
  return undefined;
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}
