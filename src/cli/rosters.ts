import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { isAppError } from '../lib/app-error.ts';
import type { RosterProblem } from '../verification/sources/errors.ts';
import type { Roster } from '../verification/sources/roster-repository.ts';
import { print, withServices, type JsonOption } from './context.ts';
import { refused, requireCommunity } from './input.ts';
import { table } from './table.ts';

/** The largest roster file read: far more than 100,000 members need. */
export const MAX_ROSTER_FILE_BYTES = 64 * 1024 * 1024;

function rosterJson(roster: Roster) {
  return {
    id: roster.id,
    community: roster.community,
    organization: roster.organization,
    entries: roster.entryCount,
    created_at: roster.createdAt.toISOString(),
  };
}

/** The file's text; a missing, unreadable or oversized file is refused with a one-line reason. */
async function readRosterFile(file: string): Promise<string> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw refused(`${file} is not a file`);
    if (info.size > MAX_ROSTER_FILE_BYTES) {
      throw refused(`${file} is larger than ${MAX_ROSTER_FILE_BYTES / (1024 * 1024)} MB; split it`);
    }
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isAppError(error)) throw error;
    throw refused(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function problemsOf(error: unknown): RosterProblem[] | undefined {
  if (!isAppError(error) || error.code !== 'verification.roster_invalid') return undefined;
  const problems = (error.detail as { problems?: unknown } | undefined)?.problems;
  return Array.isArray(problems) ? (problems as RosterProblem[]) : undefined;
}

interface ImportOptions extends JsonOption {
  community: string;
  organization: string;
  file: string;
}

/** `vetted rosters …`: organizations' member lists that users are looked up in. */
export function registerRosterCommands(program: Command): void {
  const rosters = program
    .command('rosters')
    .description(
      'Organization rosters: CSV member lists users are found in by confirmed email or member id.',
    );
  rosters
    .command('import')
    .description(
      'Import a roster (CSV with a header row: first_name, last_name, subgroup, and email or member_id); all of it or nothing.',
    )
    .requiredOption('--community <handle>', 'the community its members belong to, e.g. military')
    .requiredOption('--organization <name>', 'the organization whose members it lists')
    .requiredOption('--file <path>', 'the CSV file')
    .option('--json', 'print machine-readable output')
    .action((options: ImportOptions) =>
      withServices(async (services) => {
        const community = await requireCommunity(services, options.community);
        const csv = await readRosterFile(options.file);
        let imported: { rosterId: string; entries: number };
        try {
          imported = await services.verificationAdmin.importRoster(
            { community, organization: options.organization, csv },
            { type: 'operator' },
          );
        } catch (error) {
          const problems = problemsOf(error);
          if (problems === undefined) throw error;
          for (const problem of problems) process.stderr.write(`line ${problem.line}: ${problem.message}\n`);
          const count = `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`;
          throw refused(`the roster was not imported (${count}; nothing was stored)`);
        }
        const result = {
          id: imported.rosterId,
          community: community.handle,
          organization: options.organization.trim(),
          entries: imported.entries,
        };
        print(
          result,
          options.json,
          () =>
            `Imported roster ${result.id}: ${result.entries} ${result.entries === 1 ? 'member' : 'members'} of ${result.organization} (${result.community}).`,
        );
      }),
    );
  rosters
    .command('list')
    .description('The rosters, newest first.')
    .option('--community <handle>', 'only the rosters of this community')
    .option('--json', 'print machine-readable output')
    .action((options: JsonOption & { community?: string }) =>
      withServices(async (services) => {
        const community =
          options.community === undefined ? undefined : await requireCommunity(services, options.community);
        const list = await services.rosters.listRosters(community?.handle);
        print(list.map(rosterJson), options.json, () =>
          list.length === 0
            ? 'No rosters.'
            : table(
                ['ID', 'COMMUNITY', 'ORGANIZATION', 'ENTRIES', 'IMPORTED'],
                list.map((roster) => [
                  roster.id,
                  roster.community,
                  roster.organization,
                  String(roster.entryCount),
                  roster.createdAt.toISOString(),
                ]),
              ),
        );
      }),
    );
  rosters
    .command('remove')
    .description('Remove a roster and its entries; verifications it already made stay.')
    .argument('<id>', 'the roster id, as shown by `vetted rosters list`')
    .option('--json', 'print machine-readable output')
    .action((id: string, options: JsonOption) =>
      withServices(async (services) => {
        if (!(await services.verificationAdmin.removeRoster(id, { type: 'operator' })))
          throw refused(`there is no roster ${id}`);
        print({ removed: id }, options.json, () => `Removed roster ${id}.`);
      }),
    );
}
