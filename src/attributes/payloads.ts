import type { CommunityStatus, JsonValue } from '../verification/types.ts';
import { decideRelease, type ReleaseInput } from './release.ts';

export interface V3Attribute {
  handle: string;
  name: string;
  value: JsonValue;
}

/** `/api/public/v3/attributes.json` (SPEC §4). */
export interface V3Payload {
  attributes: V3Attribute[];
  status: CommunityStatus[];
}

/** `/api/public/v2/attributes.json`: the legacy flat form (SPEC §4). */
export interface V2Payload {
  id: string;
  uuid: string;
  verified: boolean;
  /** The first subgroup of the first community scope; null when not verified. */
  affiliation: string | null;
  /** The first community scope of the grant; null when the grant has none. */
  group: string | null;
  email: string;
  fname: string;
  lname: string;
  /** Omitted when the user has no postal code, as in v3. */
  zip?: string;
}

export function buildV3(input: ReleaseInput): V3Payload {
  const release = decideRelease(input);
  return {
    attributes: release.attributes.map(({ definition, value }) => ({
      handle: definition.handle,
      name: definition.name,
      value,
    })),
    status: release.status.map(({ group, subgroups, verified }) => ({
      group,
      subgroups: [...subgroups],
      verified,
    })),
  };
}

/**
 * The v2 flat form: `id` and `uuid` are both the user id; `verified`, `affiliation` and `group` describe the
 * first community scope of the grant. It carries only what v3 releases too (no `eid`, `age` or community
 * attributes), so the consent page covers it.
 */
export function buildV2(input: ReleaseInput): V2Payload {
  const release = decideRelease(input);
  const value = (handle: string) =>
    release.attributes.find((entry) => entry.definition.handle === handle)?.value;
  const first = release.status[0];
  const verified = first?.verified ?? false;
  const zip = value('zip');
  return {
    id: input.user.id,
    uuid: input.user.id,
    verified,
    affiliation: verified ? (first?.subgroups[0] ?? null) : null,
    group: first?.group ?? null,
    email: input.user.email,
    fname: input.user.firstName,
    lname: input.user.lastName,
    ...(typeof zip === 'string' ? { zip } : {}),
  };
}

/**
 * What the consent page lists: one label per released attribute, then `<Community> status` per community
 * scope, with the subgroups the partner will see when the user is verified, e.g. `["First name",
 * "Last name", "Email", "Unique identifier", "ZIP code", "Military status: Veteran"]`.
 * Derived from the same decision as the payloads, so the page names exactly what the partner receives.
 */
export function fieldsForConsent(input: ReleaseInput): string[] {
  const release = decideRelease(input);
  return [
    ...release.attributes.map(({ definition }) => definition.consentLabel),
    ...release.status.map((standing) =>
      standing.verified && standing.subgroups.length > 0
        ? `${standing.name} status: ${standing.subgroups.join(', ')}`
        : `${standing.name} status: not verified`,
    ),
  ];
}
