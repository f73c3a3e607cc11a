import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isAppError } from '../lib/app-error.ts';
import { MAX_RETRIES, TIMEOUT_LIMITS } from '../verification/sources/registry-config.ts';
import type { RegistrySourceRecord } from '../verification/sources/registry-repository.ts';
import { print, withServices, type JsonOption } from './context.ts';
import { refused, requireCommunity, wholeNumber } from './input.ts';
import { table } from './table.ts';

const MAX_MAPPING_FILE_BYTES = 64 * 1024;

/** A registry as the commands print it: whether it has an auth header, never the header. */
function registryJson(registry: RegistrySourceRecord) {
  return {
    id: registry.id,
    community: registry.community,
    name: registry.name,
    url_template: registry.urlTemplate,
    has_auth_header: registry.hasAuthHeader,
    mapping: registry.mapping,
    timeout_ms: registry.timeoutMs,
    retries: registry.retries,
    enabled: registry.enabled,
    created_at: registry.createdAt.toISOString(),
  };
}

function registryTable(registries: readonly RegistrySourceRecord[]): string {
  if (registries.length === 0) return 'No registries.';
  return table(
    ['ID', 'COMMUNITY', 'NAME', 'ENABLED', 'AUTH', 'TIMEOUT', 'RETRIES', 'URL TEMPLATE'],
    registries.map((registry) => [
      registry.id,
      registry.community,
      registry.name,
      registry.enabled ? 'yes' : 'no',
      registry.hasAuthHeader ? 'header' : 'none',
      `${registry.timeoutMs} ms`,
      String(registry.retries),
      registry.urlTemplate,
    ]),
  );
}

/** `--mapping`: inline JSON when it starts with `{`, else the path of a JSON file. */
async function readMapping(value: string): Promise<unknown> {
  const inline = value.trimStart().startsWith('{');
  let text = value;
  if (!inline) {
    try {
      const bytes = await readFile(value);
      if (bytes.length > MAX_MAPPING_FILE_BYTES) throw refused(`${value} is too large for a mapping`);
      text = bytes.toString('utf8');
    } catch (error) {
      if (isAppError(error)) throw error;
      throw refused(`cannot read ${value}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw refused(
      `the mapping${inline ? '' : ` in ${value}`} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

interface AddOptions extends JsonOption {
  community: string;
  name: string;
  urlTemplate: string;
  authHeader?: string;
  mapping: string;
  timeoutMs: number;
  retries: number;
}

function switchCommand(registries: Command, enabled: boolean): void {
  registries
    .command(enabled ? 'enable' : 'disable')
    .description(
      enabled
        ? 'Ask this registry again on the verify step.'
        : 'Stop asking this registry (kept, with its settings).',
    )
    .argument('<id>', 'the registry id, as shown by `vetted registries list`')
    .option('--json', 'print machine-readable output')
    .action((id: string, options: JsonOption) =>
      withServices(async (services) => {
        if (!(await services.verificationAdmin.setRegistryEnabled(id, enabled, { type: 'operator' })))
          throw refused(`there is no registry ${id}`);
        const registry = await services.registries.find(id);
        if (registry === undefined) throw refused(`there is no registry ${id}`);
        print(
          registryJson(registry),
          options.json,
          () => `${enabled ? 'Enabled' : 'Disabled'} registry ${id} (${registry.name}).`,
        );
      }),
    );
}

/** `vetted registries …`: HTTP registries asked whether a person is a member of a community. */
export function registerRegistryCommands(program: Command): void {
  const registries = program
    .command('registries')
    .description('HTTP registries: JSON APIs asked whether a person is a member of a community.');
  registries
    .command('add')
    .description('Add a registry (enabled). The auth header is stored encrypted and never printed.')
    .requiredOption('--community <handle>', 'the community it answers for, e.g. military')
    .requiredOption('--name <name>', 'a name for operators, e.g. "Veterans registry"')
    .requiredOption(
      '--url-template <url>',
      'an http(s) URL with {member_id}, {email}, {first_name} or {last_name} after the host',
    )
    .option('--auth-header <header>', 'a header sent with every request, as "Name: value"')
    .requiredOption(
      '--mapping <file-or-json>',
      'where the answer is: a JSON file, or inline JSON such as \'{"verifiedPath":"status","verifiedValues":["active"]}\'',
    )
    .option(
      '--timeout-ms <ms>',
      `timeout of each attempt (${TIMEOUT_LIMITS.min} to ${TIMEOUT_LIMITS.max})`,
      wholeNumber(),
      5000,
    )
    .option('--retries <count>', `attempts after a failed one (0 to ${MAX_RETRIES})`, wholeNumber(), 2)
    .option('--json', 'print machine-readable output')
    .action((options: AddOptions) =>
      withServices(async (services) => {
        const community = await requireCommunity(services, options.community);
        const mapping = await readMapping(options.mapping);
        const registry = await services.verificationAdmin.addRegistry(
          {
            id: services.ids.uuid(),
            community,
            name: options.name,
            urlTemplate: options.urlTemplate,
            authHeader: options.authHeader ?? null,
            mapping,
            timeoutMs: options.timeoutMs,
            retries: options.retries,
            createdAt: services.clock.now(),
          },
          { type: 'operator' },
        );
        print(registryJson(registry), options.json, () =>
          [`Added registry ${registry.id} (${registry.name}, enabled).`, registryTable([registry])].join(
            '\n',
          ),
        );
      }),
    );
  registries
    .command('list')
    .description('The registries, by name; whether each has an auth header, never the header.')
    .option('--community <handle>', 'only the registries of this community')
    .option('--json', 'print machine-readable output')
    .action((options: JsonOption & { community?: string }) =>
      withServices(async (services) => {
        const community =
          options.community === undefined ? undefined : await requireCommunity(services, options.community);
        const list = await services.registries.list(community?.handle);
        print(list.map(registryJson), options.json, () => registryTable(list));
      }),
    );
  switchCommand(registries, true);
  switchCommand(registries, false);
  registries
    .command('remove')
    .description('Remove a registry; verifications it already made stay.')
    .argument('<id>', 'the registry id, as shown by `vetted registries list`')
    .option('--json', 'print machine-readable output')
    .action((id: string, options: JsonOption) =>
      withServices(async (services) => {
        if (!(await services.verificationAdmin.removeRegistry(id, { type: 'operator' })))
          throw refused(`there is no registry ${id}`);
        print({ removed: id }, options.json, () => `Removed registry ${id}.`);
      }),
    );
}
