import { InvalidArgumentError, type Command } from 'commander';
import { print, withServices, type JsonOption } from './context.ts';

interface Verify {
  community: string;
  subgroup: string;
}

function parseVerify(value: string, previous: Verify[] = []): Verify[] {
  const match = /^([a-z0-9_]+):(.+)$/.exec(value);
  if (match === null)
    throw new InvalidArgumentError('use community:"Subgroup", e.g. military:"Service Member"');
  return [...previous, { community: match[1] ?? '', subgroup: match[2] ?? '' }];
}

interface CreateOptions extends JsonOption {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  zip?: string;
  birthDate?: string;
  verify?: Verify[];
}

/** `vetted users …`: the operator's way to create accounts (e.g. test users), email already confirmed. */
export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('Manage user accounts.');
  users
    .command('create')
    .description('Create a user whose email counts as confirmed; optionally record community verifications.')
    .requiredOption('--email <email>', 'sign-in email address')
    .requiredOption('--password <password>', 'password (at least 8 characters)')
    .requiredOption('--first-name <name>', 'first name')
    .requiredOption('--last-name <name>', 'last name')
    .option('--zip <code>', 'ZIP or postal code')
    .option('--birth-date <date>', 'birth date, YYYY-MM-DD')
    .option(
      '--verify <community:subgroup>',
      'record a verification, e.g. military:"Veteran" (repeatable)',
      parseVerify,
    )
    .option('--json', 'print machine-readable output')
    .action((options: CreateOptions) =>
      withServices(async (services) => {
        const user = await services.accounts.createByOperator({
          email: options.email,
          password: options.password,
          firstName: options.firstName,
          lastName: options.lastName,
          postalCode: options.zip,
          birthDate: options.birthDate,
        });
        const verifications: { community: string; subgroups: string[]; expires_at: string | null }[] = [];
        for (const verify of options.verify ?? []) {
          const recorded = await services.verification.attest({
            userId: user.id,
            community: verify.community,
            subgroups: [verify.subgroup],
            method: 'operator',
            actor: { type: 'operator' },
          });
          verifications.push({
            community: recorded.community,
            subgroups: recorded.subgroups,
            expires_at: recorded.expiresAt?.toISOString() ?? null,
          });
        }
        print({ uuid: user.id, email: user.email, verifications }, options.json, () =>
          [
            `Created ${user.email} (uuid ${user.id}).`,
            ...verifications.map((v) => `Verified: ${v.community} (${v.subgroups.join(', ')})`),
          ].join('\n'),
        );
      }),
    );
}
