import { InvalidArgumentError, type Command } from 'commander';
import { verificationErrors } from '../verification/errors.ts';
import { communitySubgroup } from '../verification/sources/source.ts';
import { verificationMethods, type Community, type VerificationMethod } from '../verification/types.ts';
import { print, withServices, type JsonOption } from './context.ts';
import { requireCommunity } from './input.ts';

const operator = { type: 'operator' } as const;

/** The longest validity a community or subgroup may be given: a hundred years. */
export const MAX_VALIDITY_DAYS = 36_500;
const MAX_NAME_LENGTH = 100;

type Validity = number | null;

/**
 * `365` or `never`; anything else is a usage error. `never` stays a word here: commander stores a parser's
 * null as an empty string.
 */
function parseValidity(value: string): number | 'never' {
  const trimmed = value.trim();
  if (trimmed === 'never') return 'never';
  const days = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(days) || days < 1 || days > MAX_VALIDITY_DAYS) {
    throw new InvalidArgumentError(`use a number of days from 1 to ${MAX_VALIDITY_DAYS}, or never`);
  }
  return days;
}

interface SubgroupValidity {
  subgroup: string;
  /** `default`: the subgroup follows the community's validity again. */
  validity: number | 'never' | 'default';
}

function parseSubgroupValidity(value: string, previous: SubgroupValidity[] = []): SubgroupValidity[] {
  const separator = value.lastIndexOf('=');
  const subgroup = value.slice(0, Math.max(separator, 0)).trim();
  const given = value.slice(separator + 1).trim();
  if (separator < 0 || subgroup === '') {
    throw new InvalidArgumentError('use "Subgroup=days", "Subgroup=never" or "Subgroup=default"');
  }
  return [...previous, { subgroup, validity: given === 'default' ? 'default' : parseValidity(given) }];
}

function parseMethods(value: string, previous: VerificationMethod[] = []): VerificationMethod[] {
  const methods = [...previous];
  for (const item of value.split(',').map((part) => part.trim())) {
    if (item === '') continue;
    const method = verificationMethods.find((known) => known === item);
    if (method === undefined) {
      throw new InvalidArgumentError(
        `${JSON.stringify(item)} is not a method; use ${verificationMethods.join(', ')}`,
      );
    }
    if (!methods.includes(method)) methods.push(method);
  }
  return methods;
}

/** A community as the commands print it (`--json`). */
export function communityJson(community: Community) {
  return {
    handle: community.handle,
    name: community.name,
    subgroups: community.subgroups,
    validity_days: community.validityDays,
    subgroup_validity_days: community.subgroupValidityDays,
    methods: community.methods,
    document_types: community.documentTypes.map((type) => ({
      handle: type.handle,
      name: type.name,
      back: type.back,
    })),
  };
}

const days = (validity: Validity) => (validity === null ? 'never expires' : `${validity} days`);

function describe(community: Community): string {
  const subgroups = community.subgroups.map((subgroup) =>
    subgroup in community.subgroupValidityDays
      ? `${subgroup} (${days(community.subgroupValidityDays[subgroup] ?? null)})`
      : subgroup,
  );
  const documents = community.documentTypes.map(
    (type) => `${type.handle} (${type.name}${type.back ? ', front and back' : ''})`,
  );
  return [
    `${community.handle}  ${community.name}`,
    `  subgroups:  ${subgroups.join(', ') || '(none)'}`,
    `  validity:   ${days(community.validityDays)}`,
    `  methods:    ${community.methods.join(', ') || '(none)'}`,
    `  documents:  ${documents.join('; ') || '(none)'}`,
  ].join('\n');
}

interface UpdateOptions extends JsonOption {
  name?: string;
  validityDays?: number | 'never';
  subgroupValidity?: SubgroupValidity[];
  methods?: VerificationMethod[];
}

/** The subgroup validity after the changes, each subgroup in the community's spelling. */
function mergeSubgroupValidity(
  community: Community,
  changes: readonly SubgroupValidity[],
): Record<string, number | null> {
  const merged = new Map(Object.entries(community.subgroupValidityDays));
  for (const change of changes) {
    const subgroup = communitySubgroup(community, change.subgroup);
    if (subgroup === undefined) throw verificationErrors.unknownSubgroup(community.name, change.subgroup);
    if (change.validity === 'default') merged.delete(subgroup);
    else merged.set(subgroup, change.validity === 'never' ? null : change.validity);
  }
  return Object.fromEntries(merged);
}

/** `vetted communities …`: the communities users are verified for, and how. */
export function registerCommunityCommands(program: Command): void {
  const communities = program
    .command('communities')
    .description('The communities users verify for (each is an OAuth scope), their methods and validity.');
  communities
    .command('list')
    .description('Every community: subgroups, validity, verification methods and accepted documents.')
    .option('--json', 'print machine-readable output')
    .action((options: JsonOption) =>
      withServices(async (services) => {
        const list = await services.communities.list();
        print(list.map(communityJson), options.json, () => list.map(describe).join('\n\n'));
      }),
    );
  communities
    .command('update')
    .description(
      'Change what users see and how long verifications last (the handle stays: partners use it as a scope).',
    )
    .argument('<handle>', 'the community, e.g. military')
    .option('--name <name>', 'the display name, e.g. "Military"')
    .option('--validity-days <days>', 'how long a verification lasts, in days, or never', parseValidity)
    .option(
      '--subgroup-validity <subgroup=days>',
      'validity of one subgroup: "Veteran=never", "Retiree=730", or "Veteran=default" to follow the community (repeatable)',
      parseSubgroupValidity,
    )
    .option(
      '--methods <list>',
      `the methods users may choose, comma-separated: ${verificationMethods.join(', ')}`,
      parseMethods,
    )
    .option('--json', 'print machine-readable output')
    .action((handle: string, options: UpdateOptions, command: Command) => {
      const { name, validityDays, subgroupValidity, methods } = options;
      if (
        name === undefined &&
        validityDays === undefined &&
        subgroupValidity === undefined &&
        methods === undefined
      ) {
        command.error(
          'error: nothing to change: give --name, --validity-days, --subgroup-validity or --methods',
        );
      }
      if (methods?.length === 0) command.error('error: --methods needs at least one method');
      if (name !== undefined && (name.trim() === '' || name.trim().length > MAX_NAME_LENGTH)) {
        command.error(`error: --name needs 1 to ${MAX_NAME_LENGTH} characters`);
      }
      return withServices(async (services) => {
        const community = await requireCommunity(services, handle);
        const current = await services.verificationAdmin.updateCommunity(
          community.handle,
          {
            ...(name === undefined ? {} : { name: name.trim() }),
            ...(validityDays === undefined
              ? {}
              : { validityDays: validityDays === 'never' ? null : validityDays }),
            ...(subgroupValidity === undefined
              ? {}
              : { subgroupValidityDays: mergeSubgroupValidity(community, subgroupValidity) }),
            ...(methods === undefined ? {} : { methods }),
          },
          operator,
        );
        const seconds = services.config.keyCacheSeconds;
        print(communityJson(current), options.json, () =>
          [
            `Updated ${current.handle}.`,
            describe(current),
            `A running server uses the change within ${seconds} s (VETTED_KEY_CACHE_SECONDS).`,
          ].join('\n'),
        );
      });
    });
}
