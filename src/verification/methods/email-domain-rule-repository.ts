import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../../storage/schema.ts';
import type { EmailDomainRulesTable } from '../../storage/tables/verifications.ts';
import { verificationErrors } from '../errors.ts';
import { methodErrors } from './errors.ts';

/** Addresses at domains matching `pattern` prove membership of `community`, in `subgroup`. */
export interface EmailDomainRule {
  id: string;
  /** A community handle: `military`, … */
  community: string;
  subgroup: string;
  /** `*.mil`, `army.mil`, `*.k12.*.us` (domain-pattern.ts) */
  pattern: string;
  createdAt: Date;
}

/** SQLite's and PostgreSQL's codes for a unique (or primary key) violation. */
const UNIQUE_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);
/** … and for a foreign key violation: the community does not exist. */
const FOREIGN_KEY_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']);

export function createEmailDomainRuleRepository(db: Kysely<Schema>) {
  return {
    /** The rules of `community`, or of every community, ordered by community and pattern. */
    async list(community?: string): Promise<EmailDomainRule[]> {
      let query = db.selectFrom('email_domain_rules').selectAll();
      if (community !== undefined) query = query.where('community', '=', community);
      const rows = await query.orderBy('community').orderBy('pattern').orderBy('id').execute();
      return rows.map(toRule);
    },

    /** Throws `verification.rule_exists` when the community has a rule for the pattern already. */
    async insert(rule: EmailDomainRule): Promise<void> {
      try {
        await db
          .insertInto('email_domain_rules')
          .values({
            id: rule.id,
            community: rule.community,
            subgroup: rule.subgroup,
            pattern: rule.pattern,
            created_at: rule.createdAt.getTime(),
          })
          .execute();
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        if (UNIQUE_VIOLATIONS.has(code)) throw methodErrors.ruleExists(rule.community, rule.pattern, error);
        if (FOREIGN_KEY_VIOLATIONS.has(code)) throw verificationErrors.unknownCommunity(rule.community);
        throw error;
      }
    },

    /** Returns whether a rule was deleted. */
    async delete(id: string): Promise<boolean> {
      const result = await db.deleteFrom('email_domain_rules').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}

export type EmailDomainRuleRepository = ReturnType<typeof createEmailDomainRuleRepository>;

function toRule(row: Selectable<EmailDomainRulesTable>): EmailDomainRule {
  return {
    id: row.id,
    community: row.community,
    subgroup: row.subgroup,
    pattern: row.pattern,
    createdAt: new Date(row.created_at),
  };
}
