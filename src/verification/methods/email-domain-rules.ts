import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { CommunityService } from '../community-service.ts';
import { verificationErrors } from '../errors.ts';
import { domainMatches, parseDomainPattern, type DomainPattern } from './domain-pattern.ts';
import type { EmailDomainRule, EmailDomainRuleRepository } from './email-domain-rule-repository.ts';
import { methodErrors } from './errors.ts';

export {
  createEmailDomainRuleRepository,
  type EmailDomainRule,
  type EmailDomainRuleRepository,
} from './email-domain-rule-repository.ts';

export interface EmailDomainMatch {
  rule: EmailDomainRule;
  /** The subgroup an address matching the rule is verified for. */
  subgroup: string;
}

interface ParsedRule {
  rule: EmailDomainRule;
  pattern: DomainPattern;
}

/**
 * Which email domains prove membership of which community: administrators add and remove rules (data, not
 * config; 0005 seeds `*.mil`, `*.edu`, …); the email-domain method asks which rule an address falls under.
 */
export function createEmailDomainRules(deps: {
  repository: EmailDomainRuleRepository;
  communities: CommunityService;
  ids: IdGenerator;
  clock: Clock;
}) {
  const { repository, communities, ids, clock } = deps;

  /** The community's rules whose pattern is valid and whose subgroup it still has. */
  async function usableRules(community: string): Promise<ParsedRule[]> {
    const found = await communities.find(community);
    if (found === undefined) return [];
    const usable: ParsedRule[] = [];
    for (const rule of await repository.list(community)) {
      const parsed = parseDomainPattern(rule.pattern);
      if (parsed.ok && found.subgroups.includes(rule.subgroup))
        usable.push({ rule, pattern: parsed.pattern });
    }
    return usable;
  }

  return {
    /**
     * Adds a rule. Throws `verification.unknown_community`, `verification.unknown_subgroup`,
     * `verification.invalid_domain_pattern` or `verification.rule_exists`. The pattern is stored in its
     * canonical form (lower case, punycode).
     */
    async add(input: { community: string; subgroup: string; pattern: string }): Promise<EmailDomainRule> {
      const community = await communities.find(input.community);
      if (community === undefined) throw verificationErrors.unknownCommunity(input.community);
      if (!community.subgroups.includes(input.subgroup)) {
        throw verificationErrors.unknownSubgroup(community.name, input.subgroup);
      }
      const parsed = parseDomainPattern(input.pattern);
      if (!parsed.ok) throw methodErrors.invalidDomainPattern(input.pattern, parsed.problem);
      const rule: EmailDomainRule = {
        id: ids.uuid(),
        community: community.handle,
        subgroup: input.subgroup,
        pattern: parsed.pattern.text,
        createdAt: clock.now(),
      };
      await repository.insert(rule);
      return rule;
    },

    /** Removes a rule; throws `verification.rule_not_found` when there is none with that id. */
    async remove(id: string): Promise<void> {
      if (!(await repository.delete(id))) throw methodErrors.ruleNotFound(id);
    },

    /** The rules of `community`, or of every community. */
    list(community?: string): Promise<EmailDomainRule[]> {
      return repository.list(community);
    },

    /**
     * The rule of `community` that an address falls under, or undefined. When several match, the most
     * specific wins: the most literal labels (`army.mil` over `*.mil`), then the most labels, then the
     * pattern's alphabetical order, so the answer never depends on insertion order.
     */
    async match(community: string, address: string): Promise<EmailDomainMatch | undefined> {
      const at = address.lastIndexOf('@');
      if (at < 0) return undefined;
      const domain = address.slice(at + 1);
      const best = (await usableRules(community))
        .filter(({ pattern }) => domainMatches(pattern, domain))
        .sort(
          (a, b) =>
            b.pattern.literalLabels - a.pattern.literalLabels ||
            b.pattern.labels.length - a.pattern.labels.length ||
            (a.pattern.text < b.pattern.text ? -1 : a.pattern.text > b.pattern.text ? 1 : 0),
        )[0];
      return best === undefined ? undefined : { rule: best.rule, subgroup: best.rule.subgroup };
    },

    /** The patterns `community` accepts (empty: none), for messages telling which addresses to use. */
    async acceptedPatterns(community: string): Promise<DomainPattern[]> {
      return (await usableRules(community)).map(({ pattern }) => pattern);
    },
  };
}

export type EmailDomainRules = ReturnType<typeof createEmailDomainRules>;
