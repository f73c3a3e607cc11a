import { Option, type Command } from 'commander';
import { staffRoles, type StaffRole } from '../accounts/roles.ts';
import { AppError } from '../lib/app-error.ts';
import { print, withServices, type JsonOption } from './context.ts';

interface CreateAdminOptions extends JsonOption {
  email: string;
  role: StaffRole;
  password?: string;
  firstName?: string;
  lastName?: string;
}

const operator = { type: 'operator' } as const;

/** `vetted admin …`: staff accounts for the reviewer area and, later, the administrator console. */
export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('Manage staff accounts (administrators and reviewers).');
  admin
    .command('create')
    .description(
      'Give an account a staff role; creates the account (email confirmed) when it does not exist yet, which needs --password.',
    )
    .requiredOption('--email <email>', 'sign-in email address')
    .addOption(new Option('--role <role>', 'the role to give').choices([...staffRoles]).makeOptionMandatory())
    .option('--password <password>', 'password for a new account (at least 8 characters)')
    .option('--first-name <name>', 'first name for a new account', 'Vetted')
    .option('--last-name <name>', 'last name for a new account', 'Staff')
    .option('--json', 'print machine-readable output')
    .action((options: CreateAdminOptions) =>
      withServices(async (services) => {
        let user = await services.accounts.findByEmail(options.email);
        const created = user === undefined;
        if (user === undefined) {
          if (options.password === undefined) {
            throw new AppError({
              code: 'cli.password_required',
              status: 400,
              message: `there is no account ${options.email}: give --password to create it`,
            });
          }
          user = await services.accounts.createByOperator({
            email: options.email,
            password: options.password,
            firstName: options.firstName ?? 'Vetted',
            lastName: options.lastName ?? 'Staff',
          });
        }
        await services.roles.grant(user.id, options.role, operator);
        const roles = await services.roles.rolesOf(user.id);
        print(
          { uuid: user.id, email: user.email, created, roles },
          options.json,
          () => `${created ? 'Created' : 'Updated'} ${user.email}: ${roles.join(', ')}.`,
        );
      }),
    );
}
