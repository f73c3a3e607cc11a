import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import { verificationErrors } from '../errors.ts';
import type { Community } from '../types.ts';
import { sourceErrors } from './errors.ts';
import { parseRosterCsv } from './roster-csv.ts';
import type { RosterRepository } from './roster-repository.ts';

export interface RosterImportDeps {
  repository: Pick<RosterRepository, 'insertRoster'>;
  ids: IdGenerator;
  clock: Clock;
}

export interface RosterImport {
  community: Community;
  /** The organization whose members the roster lists */
  organization: string;
  /** The uploaded file's text */
  csv: string;
  /** The administrator's user id */
  createdBy: string | null;
}

const MAX_ORGANIZATION = 200;

/**
 * Imports an administrator's roster: all of it or nothing. A file with any problem is refused with
 * `verification.roster_invalid`, whose `detail.problems` lists every problem by line.
 */
export async function importRoster(
  deps: RosterImportDeps,
  input: RosterImport,
): Promise<{ rosterId: string; entries: number }> {
  const organization = input.organization.trim();
  if (organization === '')
    throw verificationErrors.invalid('Name the organization whose members the roster lists.');
  if (organization.length > MAX_ORGANIZATION) {
    throw verificationErrors.invalid(
      `The organization's name is longer than ${MAX_ORGANIZATION} characters.`,
    );
  }
  const { entries, problems } = parseRosterCsv(input.csv, input.community);
  if (problems.length > 0) throw sourceErrors.rosterInvalid(problems);
  const rosterId = deps.ids.uuid();
  await deps.repository.insertRoster({
    id: rosterId,
    community: input.community.handle,
    organization,
    createdBy: input.createdBy,
    createdAt: deps.clock.now(),
    entries,
  });
  return { rosterId, entries: entries.length };
}
