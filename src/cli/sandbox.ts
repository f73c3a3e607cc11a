import type { Command } from 'commander';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordLength } from '../accounts/password.ts';
import { isAppError } from '../lib/app-error.ts';
import {
  SANDBOX_PERSONA_PASSWORD,
  sandboxPersonas,
  type SandboxPersona,
} from '../verification/sources/sandbox.ts';
import { print, withServices, type JsonOption } from './context.ts';
import { refused, requireCommunity } from './input.ts';
import { table } from './table.ts';

export { SANDBOX_PERSONA_PASSWORD };

interface PersonaOptions extends JsonOption {
  community?: string;
  password?: string;
}

interface PersonaRow {
  email: string;
  /** null: the account existed already with another password, which it keeps. */
  password: string | null;
  community: string;
  outcome: SandboxPersona['outcome'];
  description: string;
  uuid: string;
  /** false: the account existed already (it keeps the password it was created with). */
  created: boolean;
}

/** `vetted sandbox …`: what partners' developers test with before going to production. */
export function registerSandboxCommands(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description("Test accounts with fixed outcomes for partners' sandbox applications.");
  sandbox
    .command('personas')
    .description(
      'Create the sandbox personas (four per community: pass, review, reject, expired); running it again changes nothing.',
    )
    .option('--community <handle>', 'only the personas of this community')
    .option('--password <password>', `their password for new accounts (default: ${SANDBOX_PERSONA_PASSWORD})`)
    .option('--json', 'print machine-readable output')
    .action((options: PersonaOptions) => {
      const password = options.password ?? SANDBOX_PERSONA_PASSWORD;
      return withServices(async (services) => {
        const length = passwordLength(password);
        if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
          throw refused(
            `the password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
          );
        }
        const communities =
          options.community === undefined
            ? await services.communities.list()
            : [await requireCommunity(services, options.community)];
        const rows: PersonaRow[] = [];
        for (const persona of sandboxPersonas(communities)) {
          const user = await services.accounts
            .ensureTestPersona({
              email: persona.email,
              password,
              firstName: persona.firstName,
              lastName: persona.lastName,
              persona: persona.persona,
            })
            .catch((error: unknown) => {
              if (isAppError(error) && error.code === 'accounts.email_taken') {
                throw refused(
                  `${persona.email} belongs to an account that is not the ${persona.persona} persona`,
                );
              }
              throw error;
            });
          rows.push({
            email: user.email,
            password: user.passwordWorks ? password : null,
            community: persona.community,
            outcome: persona.outcome,
            description: persona.description,
            uuid: user.id,
            created: user.created,
          });
        }
        const kept = rows.filter((row) => !row.created).length;
        const otherPassword = rows.filter((row) => row.password === null).length;
        if (otherPassword > 0) {
          process.stderr.write(
            `vetted: warning: ${otherPassword} ${otherPassword === 1 ? 'persona existed' : 'personas existed'} already with another password, which ${otherPassword === 1 ? 'it keeps' : 'they keep'}\n`,
          );
        }
        print(rows, options.json, () =>
          [
            table(
              ['EMAIL', 'PASSWORD', 'COMMUNITY', 'OUTCOME', 'NEW', 'DESCRIPTION'],
              rows.map((row) => [
                row.email,
                row.password ?? '(another)',
                row.community,
                row.outcome,
                row.created ? 'yes' : 'no',
                row.description,
              ]),
            ),
            '',
            `${rows.length - kept} created, ${kept} already there. Personas get their outcome only in sandbox applications (vetted apps create --sandbox).`,
          ].join('\n'),
        );
      });
    });
}
