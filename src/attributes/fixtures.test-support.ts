// Fixtures shared by the payload and consent tests: ID.me's example member, verified for two communities.
import { communityDefinitions } from '../storage/migrations/0005-community-definitions.ts';
import type { CommunityStanding } from '../verification/types.ts';
import type { AttributeUser, ReleaseInput } from './release.ts';

export const NOW = new Date('2026-06-15T10:00:00Z');

export const sean: AttributeUser = {
  id: 'd733a89e2e634f04ac2fe66c97f71612',
  email: 'sean.moen@id.me',
  firstName: 'Sean',
  lastName: 'Moen',
  postalCode: '44058-1478',
  birthDate: '1990-06-16',
};

export function standing(
  group: string,
  name: string,
  subgroups: string[],
  attributes = {},
): CommunityStanding {
  // The attributes each community defines, as migration 0005 seeds them.
  const attributeDefinitions = communityDefinitions[group]?.attributes ?? [];
  return { group, name, subgroups, verified: subgroups.length > 0, attributes, attributeDefinitions };
}

export const military = standing('military', 'Military', ['Service Member'], {
  military_branch: 'Army',
  military_service_started: '2010-09-01',
});
export const alumni = standing('alumni', 'Alumni', ['Alumni'], {
  alumni_school_name: 'State University',
  alumni_graduation_date: '2012-05-20',
  alumni_graduated: true,
  alumni_degree_status: 'Conferred',
  alumni_school_type: 'University',
  alumni_award_date: 12,
});

export function input(overrides: Partial<ReleaseInput> = {}): ReleaseInput {
  return {
    user: sean,
    scopes: ['military'],
    communities: [military],
    releasedAttributes: [],
    now: NOW,
    ...overrides,
  };
}
