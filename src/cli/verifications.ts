import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../lib/app-error.ts';
import { print, withServices, type JsonOption } from './context.ts';

interface GrantOptions extends JsonOption {
  email: string;
  community: string;
  subgroup: string[];
  /** A date, or 'never' (commander keeps a parser's null as an empty string, so no null here). */
  expires?: Date | 'never';
  note?: string;
}

function parseExpiry(value: string): Date | 'never' {
  if (value === 'never') return 'never';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('use a date as YYYY-MM-DD, or never');
  }
  return new Date(`${value}T00:00:00Z`);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `vetted verifications …`: the operator's attestation that a person belongs to a community. */
export function registerVerificationCommands(program: Command): void {
  const verifications = program.command('verifications').description('Community verifications of users.');
  verifications
    .command('grant')
    .description("Attest that a user belongs to a community (audited as the operator's attestation).")
    .requiredOption('--email <email>', 'the account')
    .requiredOption('--community <handle>', 'the community, e.g. military')
    .requiredOption('--subgroup <name>', 'a subgroup, e.g. "Veteran" (repeatable)', collect)
    .option(
      '--expires <date>',
      'YYYY-MM-DD or never (default: the community and subgroup validity)',
      parseExpiry,
    )
    .option('--note <text>', 'why, for the audit log')
    .option('--json', 'print machine-readable output')
    .action((options: GrantOptions) =>
      withServices(async (services) => {
        const user = await services.accounts.findByEmail(options.email);
        if (user === undefined) {
          throw new AppError({
            code: 'cli.unknown_user',
            status: 404,
            message: `there is no account ${options.email}`,
          });
        }
        const granted = await services.verification.attest({
          userId: user.id,
          community: options.community,
          subgroups: options.subgroup,
          ...(options.expires === undefined
            ? {}
            : { expiresAt: options.expires === 'never' ? null : options.expires }),
          ...(options.note === undefined ? {} : { note: options.note }),
          actor: { type: 'operator' },
        });
        const summary = {
          id: granted.id,
          uuid: user.id,
          community: granted.community,
          subgroups: granted.subgroups,
          status: granted.status,
          expires_at: granted.expiresAt?.toISOString() ?? null,
        };
        print(
          summary,
          options.json,
          () =>
            `Verified ${user.email} for ${granted.community} (${granted.subgroups.join(', ')}), ${
              granted.expiresAt === null
                ? 'no expiry'
                : `until ${granted.expiresAt.toISOString().slice(0, 10)}`
            }.`,
        );
      }),
    );
  verifications
    .command('list')
    .description("A user's verifications, newest first, with their status now.")
    .requiredOption('--email <email>', 'the account')
    .option('--json', 'print machine-readable output')
    .action((options: JsonOption & { email: string }) =>
      withServices(async (services) => {
        const user = await services.accounts.findByEmail(options.email);
        if (user === undefined) {
          throw new AppError({
            code: 'cli.unknown_user',
            status: 404,
            message: `there is no account ${options.email}`,
          });
        }
        const list = (await services.verification.listForUser(user.id)).map((item) => ({
          id: item.id,
          community: item.community,
          subgroups: item.subgroups,
          status: item.effectiveStatus,
          method: item.method,
          expires_at: item.expiresAt?.toISOString() ?? null,
        }));
        print(list, options.json, () =>
          list.length === 0
            ? `${user.email} has no verifications.`
            : list
                .map((item) => `${item.community} (${item.subgroups.join(', ')}): ${item.status}`)
                .join('\n'),
        );
      }),
    );
}
