import type { Command } from 'commander';
import type { EmailDomainRule } from '../verification/methods/email-domain-rules.ts';
import { print, withServices, type JsonOption } from './context.ts';
import { requireCommunity } from './input.ts';
import { table } from './table.ts';

function ruleJson(rule: EmailDomainRule) {
  return {
    id: rule.id,
    community: rule.community,
    subgroup: rule.subgroup,
    pattern: rule.pattern,
    created_at: rule.createdAt.toISOString(),
  };
}

function ruleTable(rules: readonly EmailDomainRule[]): string {
  if (rules.length === 0) return 'No email-domain rules.';
  return table(
    ['ID', 'COMMUNITY', 'SUBGROUP', 'PATTERN'],
    rules.map((rule) => [rule.id, rule.community, rule.subgroup, rule.pattern]),
  );
}

interface AddOptions extends JsonOption {
  community: string;
  subgroup: string;
  pattern: string;
}

/** `vetted rules …`: which email domains prove membership of which community (the email-domain method). */
export function registerRuleCommands(program: Command): void {
  const rules = program
    .command('rules')
    .description('Email-domain rules: addresses at matching domains (*.mil, army.mil) verify a subgroup.');
  rules
    .command('list')
    .description('The email-domain rules, by community and pattern.')
    .option('--community <handle>', 'only the rules of this community')
    .option('--json', 'print machine-readable output')
    .action((options: JsonOption & { community?: string }) =>
      withServices(async (services) => {
        const community =
          options.community === undefined ? undefined : await requireCommunity(services, options.community);
        const list = await services.emailRules.list(community?.handle);
        print(list.map(ruleJson), options.json, () => ruleTable(list));
      }),
    );
  rules
    .command('add')
    .description(
      'Add a rule: addresses at domains matching the pattern verify users for the community, in the subgroup.',
    )
    .requiredOption('--community <handle>', 'the community, e.g. military')
    .requiredOption('--subgroup <name>', 'the subgroup such an address proves, e.g. "Service Member"')
    .requiredOption(
      '--pattern <pattern>',
      'dot-separated domain labels, * standing alone for one or more labels: *.mil, army.mil, *.k12.*.us',
    )
    .option('--json', 'print machine-readable output')
    .action((options: AddOptions) =>
      withServices(async (services) => {
        const rule = await services.verificationAdmin.addEmailDomainRule(
          {
            community: options.community,
            subgroup: options.subgroup,
            pattern: options.pattern,
          },
          { type: 'operator' },
        );
        print(
          ruleJson(rule),
          options.json,
          () =>
            `Added rule ${rule.id}: addresses at ${rule.pattern} verify ${rule.community} (${rule.subgroup}).`,
        );
      }),
    );
  rules
    .command('remove')
    .description('Remove a rule: addresses only it accepted stop verifying, even with a code already sent.')
    .argument('<id>', 'the rule id, as shown by `vetted rules list`')
    .option('--json', 'print machine-readable output')
    .action((id: string, options: JsonOption) =>
      withServices(async (services) => {
        await services.verificationAdmin.removeEmailDomainRule(id, { type: 'operator' });
        print({ removed: id }, options.json, () => `Removed rule ${id}.`);
      }),
    );
}
