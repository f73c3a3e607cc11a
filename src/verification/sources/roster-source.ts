import { normalizeEmail } from '../../accounts/user-input.ts';
import { sameName } from './names.ts';
import type { RosterEntry, RosterRepository } from './roster-repository.ts';
import { checkSubgroups, type SourceRequest, type SourceResult, type VerificationSource } from './source.ts';

/**
 * Organization rosters uploaded by administrators (roster-import.ts). A person is on a roster of the
 * community when their confirmed email is on it, or when they give a member id that is on it under their
 * first and last name. An unconfirmed email never matches, and a member id under other names answers exactly
 * like an unknown one: the source does not tell whether an id exists.
 */
export function createRosterSource(
  repository: Pick<RosterRepository, 'findByEmail' | 'findByMemberId'>,
  options: { id?: string; name?: string } = {},
): VerificationSource {
  return {
    kind: 'roster',
    id: options.id ?? 'roster',
    name: options.name ?? 'Organization rosters',
    async verify(request: SourceRequest): Promise<SourceResult> {
      const { person, community } = request;
      if (person.emailVerified) {
        const [entry] = await repository.findByEmail(community.handle, normalizeEmail(person.email));
        if (entry !== undefined) return checkSubgroups(community, verified(entry));
      }
      const memberId = request.memberId?.trim() ?? '';
      if (memberId !== '') {
        const entries = await repository.findByMemberId(community.handle, memberId);
        const entry = entries.find(
          (candidate) =>
            sameName(person.firstName, candidate.firstNameNormalized) &&
            sameName(person.lastName, candidate.lastNameNormalized),
        );
        if (entry !== undefined) return checkSubgroups(community, verified(entry));
        return { outcome: 'not_found', reason: 'No roster lists this member id under these names.' };
      }
      return {
        outcome: 'not_found',
        reason: person.emailVerified
          ? 'No roster lists this email address.'
          : 'The email address is not confirmed, and no member id was given.',
      };
    },
  };
}

function verified(entry: RosterEntry): SourceResult {
  return { outcome: 'verified', subgroups: [entry.subgroup], reference: `roster:${entry.rosterId}` };
}
