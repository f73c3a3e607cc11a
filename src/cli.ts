import { Command, CommanderError, Option } from 'commander';
import { ConfigError, describeConfig, loadConfig, unknownSettings, type Config } from './config/load.ts';
import { loadMasterKey } from './keys/master-key.ts';
import { signingAlgorithms, type SigningAlgorithm, type SigningKeyInfo } from './keys/signing-keys.ts';
import { isAppError } from './lib/app-error.ts';
import { registerAdminCommands } from './cli/admin.ts';
import { registerAppCommands } from './cli/apps.ts';
import { registerCommunityCommands } from './cli/communities.ts';
import { print, withServices, type JsonOption } from './cli/context.ts';
import { table } from './cli/table.ts';
import { registerRegistryCommands } from './cli/registries.ts';
import { registerRosterCommands } from './cli/rosters.ts';
import { registerRuleCommands } from './cli/rules.ts';
import { registerSandboxCommands } from './cli/sandbox.ts';
import { registerUserCommands } from './cli/users.ts';
import { registerVerificationCommands } from './cli/verifications.ts';
import { EXIT_CONFIG, serve } from './serve.ts';

/** Exit code for a command line that could not be understood. */
const EXIT_USAGE = 2;
const operator = { type: 'operator' } as const;

function keyTable(keys: SigningKeyInfo[]): string {
  if (keys.length === 0) return 'No signing keys yet: they are created when the server first starts.';
  const rows = keys.map((key) => [
    key.kid,
    key.alg,
    String(key.generation),
    key.status,
    key.activatedAt.toISOString(),
    key.retiredAt?.toISOString() ?? '',
  ]);
  return table(['KID', 'ALG', 'GEN', 'STATUS', 'ACTIVATED', 'RETIRED'], rows);
}

export function buildProgram(): Command {
  const program = new Command('vetted')
    .description('Vetted: identity and community verification provider (OAuth 2.0 / OpenID Connect).')
    .showHelpAfterError('(run vetted --help for usage)')
    .exitOverride();

  program
    .command('serve')
    .description('Run the HTTP server (migrates the database first). Stops gracefully on SIGTERM/SIGINT.')
    .action(() => serve(process.env));

  program
    .command('migrate')
    .description('Apply pending database migrations and exit.')
    .option('--json', 'print machine-readable output')
    .action((options: JsonOption) =>
      withServices((_services, applied) => {
        print({ applied }, options.json, () =>
          applied.length === 0 ? 'Database schema is up to date.' : `Applied: ${applied.join(', ')}`,
        );
        return Promise.resolve();
      }),
    );

  const keys = program.command('keys').description('Manage the keys that sign tokens.');
  keys
    .command('list')
    .description('List signing keys with their status (active, verifying, retired).')
    .option('--json', 'print machine-readable output')
    .action((options: JsonOption) =>
      withServices(async (services) => {
        const list = await services.keys.list();
        print(list, options.json, () => keyTable(list));
      }),
    );
  keys
    .command('rotate')
    .description(
      'Add a new signing key that becomes active now; the previous key keeps verifying until retired.',
    )
    .addOption(
      new Option('--alg <alg>', 'rotate only this algorithm (default: all)').choices([...signingAlgorithms]),
    )
    .option('--json', 'print machine-readable output')
    .action((options: JsonOption & { alg?: SigningAlgorithm }) =>
      withServices(async (services) => {
        const algs = options.alg === undefined ? [...signingAlgorithms] : [options.alg];
        const rotated: SigningKeyInfo[] = [];
        for (const alg of algs) rotated.push(await services.keys.rotate(alg, operator));
        print(rotated, options.json, () => `Rotated. New active keys:\n${keyTable(rotated)}`);
      }),
    );
  keys
    .command('retire')
    .description('Stop publishing a key that no longer signs; tokens it signed stop verifying.')
    .argument('<kid>', 'the key id, as shown by `vetted keys list` (write `-- <kid>` when it starts with -)')
    .option('--json', 'print machine-readable output')
    .action((kid: string, options: JsonOption) =>
      withServices(async (services) => {
        await services.keys.retire(kid, operator);
        print({ retired: kid }, options.json, () => `Retired ${kid}.`);
      }),
    );

  registerAppCommands(program);
  registerUserCommands(program);
  registerVerificationCommands(program);
  registerAdminCommands(program);
  registerCommunityCommands(program);
  registerRuleCommands(program);
  registerRosterCommands(program);
  registerRegistryCommands(program);
  registerSandboxCommands(program);

  const config = program.command('config').description('Inspect the configuration.');
  config
    .command('check')
    .description('Validate the VETTED_* environment and print the effective configuration (secrets hidden).')
    .option('--json', 'print machine-readable output')
    .action(async (options: JsonOption) => {
      const loaded: Config = loadConfig(process.env);
      await loadMasterKeyIfPresent(loaded);
      const warnings = unknownSettings(process.env).map((name) => `unknown setting ${name} (a typo?)`);
      const described = describeConfig(loaded);
      print({ valid: true, warnings, config: described }, options.json, () =>
        [
          'Configuration is valid.',
          ...warnings.map((warning) => `warning: ${warning}`),
          JSON.stringify(described, null, 2),
        ].join('\n'),
      );
    });

  return program;
}

/** A configured key must decode; a development key that does not exist yet is fine (it will be generated). */
async function loadMasterKeyIfPresent(config: Config): Promise<void> {
  if (config.masterKey.kind === 'file' && config.masterKey.generateIfMissing) return;
  await loadMasterKey(config.masterKey);
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; a misunderstood command line is a usage error.
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    for (const problem of error.problems) process.stderr.write(`vetted: invalid configuration: ${problem}\n`);
    return EXIT_CONFIG;
  }
  const message = isAppError(error) && !error.expose ? 'internal error' : (error as Error).message;
  process.stderr.write(`vetted: ${message}\n`);
  return 1;
}
